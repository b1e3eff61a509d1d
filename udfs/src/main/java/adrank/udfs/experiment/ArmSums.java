package adrank.udfs.experiment;

/**
 * The sufficient statistics of one arm over its units for every {@link Metric}: the counters'
 * sums, their squares and the cross products the four ratios need. Units are summed first (all of
 * a unit's events, in every hour), then the unit totals go in here with {@link #ofUnit}; sums add.
 *
 * @param units units
 * @param imps  Σ impressions (likewise clicks, convs, rev = revenue micros, val = value micros)
 * @param revSq Σ rev² per unit (likewise impsSq, clicksSq, convsSq, valSq)
 * @param revImps Σ rev·imps per unit (likewise clicksImps, convsClicks, valClicks)
 */
public record ArmSums(long units, long imps, long clicks, long convs, long rev, long val, double revSq,
        double impsSq, double clicksSq, double convsSq, double valSq, double revImps, double clicksImps,
        double convsClicks, double valClicks) {

    public static final ArmSums EMPTY = new ArmSums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public ArmSums {
        if (units < 0 || imps < 0 || clicks < 0 || convs < 0 || rev < 0 || val < 0) {
            throw new IllegalArgumentException("arm sums must be non-negative, got units=" + units + " imps=" + imps
                    + " clicks=" + clicks + " convs=" + convs + " rev=" + rev + " val=" + val);
        }
    }

    /** One unit's totals. */
    public static ArmSums ofUnit(long imps, long clicks, long convs, long rev, long val) {
        double i = imps;
        double c = clicks;
        return new ArmSums(1, imps, clicks, convs, rev, val, (double) rev * rev, i * i, c * c, (double) convs * convs,
                (double) val * val, rev * i, c * i, convs * c, val * c);
    }

    public ArmSums plus(ArmSums o) {
        return new ArmSums(units + o.units, Math.addExact(imps, o.imps), Math.addExact(clicks, o.clicks),
                Math.addExact(convs, o.convs), Math.addExact(rev, o.rev), Math.addExact(val, o.val), revSq + o.revSq,
                impsSq + o.impsSq, clicksSq + o.clicksSq, convsSq + o.convsSq, valSq + o.valSq, revImps + o.revImps,
                clicksImps + o.clicksImps, convsClicks + o.convsClicks, valClicks + o.valClicks);
    }

    /** The ratio sums of {@code metric} (numerator M, denominator D per unit). */
    public RatioSums ratio(Metric metric) {
        return switch (metric) {
            case CPM -> new RatioSums(units, rev, imps, revSq, impsSq, revImps);
            case CTR -> new RatioSums(units, clicks, imps, clicksSq, impsSq, clicksImps);
            case CVR -> new RatioSums(units, convs, clicks, convsSq, clicksSq, convsClicks);
            case VPC -> new RatioSums(units, val, clicks, valSq, clicksSq, valClicks);
        };
    }
}
