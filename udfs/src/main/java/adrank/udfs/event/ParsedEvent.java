package adrank.udfs.event;

/**
 * One valid event reduced to what the statistics need: its encoded impression key, its type and
 * its money in micros.
 */
public record ParsedEvent(String key, EventType type, long revenueMicros, long valueMicros) {
}
