package adrank.udfs.rank;

/**
 * Result of {@link Drift#adjust}.
 *
 * @param weight  the weight after the drift rule
 * @param flagged true when the rule fired
 */
public record DriftAdjustment(double weight, boolean flagged) {
}
