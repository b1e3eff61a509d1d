package adrank.udfs.vpc;

/**
 * A key's value per click {@code VPC = p · μ} (conversions per click times value per
 * conversion), in micros per click, with its credible interval.
 *
 * @param mean       {@code E[p]·E[μ]} (independence), or null when {@code E[μ]} does not
 *                   exist (value shape {@code <= 1})
 * @param lo         lower bound, {@code exp(m − z·s)} (see {@link Vpc})
 * @param hi         upper bound, {@code exp(m + z·s)}
 * @param level      the credible level asked for (the interval's posterior probability, by the
 *                   log-normal approximation of {@link Vpc})
 * @param cvrMean    {@code E[p]}
 * @param cvr        the equal-tailed interval of {@code p} at the level
 * @param valueMean  {@code E[μ]} in micros, or null
 * @param value      the equal-tailed interval of {@code μ} at the level
 */
public record VpcEstimate(Double mean, double lo, double hi, double level, double cvrMean,
                          Interval cvr, Double valueMean, Interval value) {

    /** {@code [lo, hi]} as an {@link Interval}. */
    public Interval interval() {
        return new Interval(lo, hi);
    }
}
