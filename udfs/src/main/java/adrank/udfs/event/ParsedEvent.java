package adrank.udfs.event;

import adrank.udfs.experiment.Variant;

/**
 * One valid event reduced to what the statistics need: its encoded impression key, its type and
 * its money in micros, plus, when the row carried them, the traffic unit the ad server routed and
 * the experiment arm that answered.
 *
 * @param unitId  the logged {@code unit_id}; null when the row has 15 columns or an empty unit
 * @param variant the logged {@code variant}; null when the row has 15 columns or was not in an experiment
 */
public record ParsedEvent(String key, EventType type, long revenueMicros, long valueMicros, String unitId,
        Variant variant) {

    /** An event of a 15-column row (no experiment columns). */
    public ParsedEvent(String key, EventType type, long revenueMicros, long valueMicros) {
        this(key, type, revenueMicros, valueMicros, null, null);
    }
}
