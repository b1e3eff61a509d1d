package adrank.udfs.experiment;

/**
 * Sufficient statistics of a ratio metric {@code R = ΣM / ΣD} over the traffic units of one arm
 * (M a numerator such as revenue, D a denominator such as impressions, both summed per unit):
 * everything the delta-method variance needs, so a job can reduce units to these six sums and the
 * driver never holds units. Sums add ({@link #plus}), so hours or partitions can be combined.
 *
 * @param n  units
 * @param m  ΣMᵢ
 * @param d  ΣDᵢ
 * @param mm ΣMᵢ²
 * @param dd ΣDᵢ²
 * @param md ΣMᵢDᵢ
 */
public record RatioSums(long n, double m, double d, double mm, double dd, double md) {

    public static final RatioSums EMPTY = new RatioSums(0, 0, 0, 0, 0, 0);

    public RatioSums {
        if (n < 0 || m < 0 || d < 0 || mm < 0 || dd < 0 || md < 0 || Double.isNaN(m + d + mm + dd + md)) {
            throw new IllegalArgumentException("ratio sums must be non-negative numbers, got n=" + n + " m=" + m
                    + " d=" + d + " mm=" + mm + " dd=" + dd + " md=" + md);
        }
    }

    /** One unit's numerator and denominator. */
    public static RatioSums ofUnit(double m, double d) {
        return new RatioSums(1, m, d, m * m, d * d, m * d);
    }

    public RatioSums plus(RatioSums o) {
        return new RatioSums(n + o.n, m + o.m, d + o.d, mm + o.mm, dd + o.dd, md + o.md);
    }
}
