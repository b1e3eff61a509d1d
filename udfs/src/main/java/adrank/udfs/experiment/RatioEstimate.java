package adrank.udfs.experiment;

/**
 * A ratio metric of one arm and the variance of its estimate by the delta method, clustered by
 * traffic unit (units are the independent draws, events of one unit are not):
 * <pre>
 *   R = ΣMᵢ / ΣDᵢ,   Var(R) ≈ Σ(Mᵢ − R·Dᵢ)² / (n(n−1)·D̄²),   D̄ = ΣDᵢ / n
 * </pre>
 * which is GrowthBook's {@code RatioStatistic} variance
 * {@code (σ²_M/μ_D² − 2σ_MD·μ_M/μ_D³ + μ_M²·σ²_D/μ_D⁴) / n} with sample (n−1) moments written with
 * the residuals (the two are algebraically equal). Expanded over the sums:
 * {@code Σ(Mᵢ − R·Dᵢ)² = ΣM² − 2R·ΣMD + R²·ΣD²}.
 *
 * @param ratio    R; NaN when ΣD = 0
 * @param variance Var(R); NaN with fewer than two units or ΣD = 0
 * @param units    n
 */
public record RatioEstimate(double ratio, double variance, long units) {

    /** The estimate of {@code sums}. */
    public static RatioEstimate of(RatioSums s) {
        if (s.d() == 0) {
            return new RatioEstimate(Double.NaN, Double.NaN, s.n());
        }
        double r = s.m() / s.d();
        if (s.n() < 2) {
            return new RatioEstimate(r, Double.NaN, s.n());
        }
        double residuals = Math.max(0, s.mm() - 2 * r * s.md() + r * r * s.dd()); // rounding can dip below 0
        double meanD = s.d() / s.n();
        return new RatioEstimate(r, residuals / ((double) s.n() * (s.n() - 1) * meanD * meanD), s.n());
    }

    public double standardError() {
        return Math.sqrt(variance);
    }
}
