package adrank.udfs.rank;

/**
 * The rank part of a key's result row.
 *
 * @param cpm          the key's own CPM, null without impressions
 * @param weight       certainty of the own CPM after the drift rule, in [0, 1]
 * @param parentCpm    the CPM it was shrunk toward
 * @param rank         {@code weight · cpm + (1 − weight) · parentCpm}
 * @param drift        the drift z-score, null when there was no reference
 * @param driftFlagged whether {@code |drift|} exceeded the threshold and the weight was reduced
 */
public record RankEstimate(Double cpm, double weight, double parentCpm, double rank,
                           Double drift, boolean driftFlagged) {
}
