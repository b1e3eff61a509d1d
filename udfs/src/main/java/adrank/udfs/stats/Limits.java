package adrank.udfs.stats;

import java.io.Serializable;

/**
 * The total-to-limit rules: only days within {@code maxDays} calendar days ending at the window
 * end count, taken newest first while the running impressions stay within
 * {@code maxImpressions}; the newest day always counts.
 */
public record Limits(int maxDays, long maxImpressions) implements Serializable {

    public Limits {
        if (maxDays < 1) {
            throw new IllegalArgumentException("limits.max-days must be at least 1, got " + maxDays);
        }
        if (maxImpressions < 1) {
            throw new IllegalArgumentException("limits.max-impressions must be at least 1, got " + maxImpressions);
        }
    }
}
