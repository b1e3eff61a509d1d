package adrank.udfs.experiment;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;

/**
 * Sample-ratio-mismatch check: did the arms get the units the design says? Pearson's χ² goodness
 * of fit with one degree of freedom of the unit counts against the expected B share,
 * {@code χ² = (n_A − N(1−s))²/(N(1−s)) + (n_B − N·s)²/(N·s)}, p from the χ²(1) survival function.
 * A mismatch (p below the threshold, 0.001 by convention) means the assignment or the logging is
 * broken and no lift from this experiment should be trusted.
 *
 * @param unitsA    units logged in A
 * @param unitsB    units logged in B
 * @param bShare    the design's B share
 * @param chiSquare the statistic
 * @param p         its p-value
 * @param mismatch  p below the threshold
 */
public record SampleRatio(long unitsA, long unitsB, double bShare, double chiSquare, double p, boolean mismatch) {

    /** The conventional threshold (GrowthBook, Optimizely, Eppo). */
    public static final double DEFAULT_THRESHOLD = 0.001;

    public static SampleRatio check(long unitsA, long unitsB, double bShare, double threshold) {
        if (unitsA < 0 || unitsB < 0) {
            throw new IllegalArgumentException("unit counts must be non-negative, got " + unitsA + ", " + unitsB);
        }
        if (!(bShare > 0 && bShare < 1)) {
            throw new IllegalArgumentException("B share must be in (0, 1), got " + bShare);
        }
        long total = unitsA + unitsB;
        if (total == 0) {
            return new SampleRatio(0, 0, bShare, Double.NaN, Double.NaN, false);
        }
        double expectedA = total * (1 - bShare);
        double expectedB = total * bShare;
        double chi2 = square(unitsA - expectedA) / expectedA + square(unitsB - expectedB) / expectedB;
        double p = ChiSquaredDistribution.of(1).survivalProbability(chi2);
        return new SampleRatio(unitsA, unitsB, bShare, chi2, p, p < threshold);
    }

    private static double square(double x) {
        return x * x;
    }
}
