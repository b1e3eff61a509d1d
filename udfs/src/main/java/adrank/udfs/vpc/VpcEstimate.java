package adrank.udfs.vpc;

/**
 * A key's value per click {@code VPC = p · μ} (conversions per click times value per
 * conversion), in micros per click, with its credible interval.
 *
 * @param mean       {@code E[p]·E[μ]} (independence), or null when {@code E[μ]} does not
 *                   exist (value shape {@code <= 1})
 * @param lo         lower bound, {@code p_lo · μ_lo}
 * @param hi         upper bound, {@code p_hi · μ_hi}
 * @param level      the credible level asked for; the interval's posterior probability is at
 *                   least this (see {@link Vpc#estimate})
 * @param cvrMean    {@code E[p]}
 * @param cvr        the interval of {@code p} used for the bounds (level {@code √level})
 * @param valueMean  {@code E[μ]} in micros, or null
 * @param value      the interval of {@code μ} used for the bounds (level {@code √level})
 */
public record VpcEstimate(Double mean, double lo, double hi, double level, double cvrMean,
                          Interval cvr, Double valueMean, Interval value) {

    /** {@code [lo, hi]} as an {@link Interval}. */
    public Interval interval() {
        return new Interval(lo, hi);
    }
}
