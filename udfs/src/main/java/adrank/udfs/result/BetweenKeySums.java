package adrank.udfs.result;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * How much the true CPMs of a parent segment's keys differ, estimated by DerSimonian and Laird's
 * method of moments (1986) from each key's CPM {@code y} and its sampling variance {@code v}:
 * <pre>
 *   w = 1 / v,   ȳ = Σ w·y / Σ w,   Q = Σ w·(y − ȳ)² = Σ w·y² − (Σ w·y)² / Σ w
 *   τ² = max(0, (Q − (K − 1)) / (Σ w − Σ w² / Σ w))
 * </pre>
 * Weighting by precision lets the keys whose CPM is nearly noiseless (CPM billing, thick keys)
 * tell the spread, instead of the noise of thin CPA keys swamping it, as an impression-weighted
 * moment estimate does. The sums are exact ({@link ExactSum}), so the merge order of a Spark
 * reduce cannot change τ².
 */
public final class BetweenKeySums implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final BetweenKeySums EMPTY =
            new BetweenKeySums(ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO, ExactSum.ZERO, 0);

    private final ExactSum w;
    private final ExactSum wy;
    private final ExactSum wy2;
    private final ExactSum w2;
    private final long keys;

    private BetweenKeySums(ExactSum w, ExactSum wy, ExactSum wy2, ExactSum w2, long keys) {
        this.w = w;
        this.wy = wy;
        this.wy2 = wy2;
        this.w2 = w2;
        this.keys = keys;
    }

    /**
     * One key's term.
     *
     * @param cpm      its CPM y
     * @param variance the sampling variance v of that CPM, finite and {@code > 0}
     */
    public static BetweenKeySums of(double cpm, double variance) {
        if (!(variance > 0) || !Double.isFinite(variance) || !Double.isFinite(cpm)) {
            throw new IllegalArgumentException("a key's term needs a finite CPM (" + cpm + ") and a finite variance > 0 ("
                    + variance + ")");
        }
        double weight = 1 / variance;
        return new BetweenKeySums(ExactSum.of(weight), ExactSum.of(weight * cpm), ExactSum.of(weight * cpm * cpm),
                ExactSum.of(weight * weight), 1);
    }

    public BetweenKeySums plus(BetweenKeySums o) {
        return new BetweenKeySums(w.plus(o.w), wy.plus(o.wy), wy2.plus(o.wy2), w2.plus(o.w2),
                Math.addExact(keys, o.keys));
    }

    /** Keys summed. */
    public long keys() {
        return keys;
    }

    /** Cochran's Q, the weighted sum of squared deviations from the weighted mean (null with no weight). */
    public Double q() {
        if (w.value().signum() == 0) {
            return null;
        }
        BigDecimal sw = w.value();
        return wy2.value().subtract(wy.value().multiply(wy.value()).divide(sw, ExactSum.CONTEXT), ExactSum.CONTEXT)
                .doubleValue();
    }

    /** τ², the between-key variance of true CPMs (CPM units squared), or null with fewer than two keys. */
    public Double tau2() {
        if (keys < 2 || w.value().signum() == 0) {
            return null;
        }
        BigDecimal sw = w.value();
        BigDecimal q = wy2.value().subtract(wy.value().multiply(wy.value()).divide(sw, ExactSum.CONTEXT),
                ExactSum.CONTEXT);
        BigDecimal denominator = sw.subtract(w2.value().divide(sw, ExactSum.CONTEXT), ExactSum.CONTEXT);
        if (denominator.signum() <= 0) {
            return null;
        }
        double tau2 = q.subtract(BigDecimal.valueOf(keys - 1)).divide(denominator, ExactSum.CONTEXT).doubleValue();
        return Math.max(0.0, tau2);
    }

    /**
     * τ² around a known centre μ — the parent's CPM, which is what the keys are shrunk toward — rather
     * than around the precision-weighted mean: with {@code Q_μ = Σ w·(y − μ)²}, whose expectation is
     * {@code K + τ²·Σ w}, {@code τ² = max(0, (Q_μ − K) / Σ w)}. Null with no key or a centre ≤ 0.
     *
     * <p>Why not DerSimonian–Laird's centre: the parent's CPM is impression-weighted, the precision-weighted
     * mean leans to the nearly noiseless (CPM-billed) keys, and the keys' distance to the parent is what
     * shrinking costs. Measured on 7 generated days, DL's τ² was about half the true spread of the keys
     * around their parent (1/50 for the global segment), and thin CPM-billed keys were shrunk too hard.
     */
    public Double tau2Around(double centre) {
        BigDecimal[] terms = spreadTerms(centre);
        return terms == null ? null
                : Math.max(0.0, terms[0].divide(w.value(), ExactSum.CONTEXT).doubleValue());
    }

    /**
     * This parent's terms of its level's pooled relative spread ({@link RelativeSpread}):
     * {@code [Q_μ − K, μ²·Σ w]}, whose ratio is {@link #tau2Around}{@code (μ) / μ²} before the clamp at 0.
     * Null with no key or a centre ≤ 0.
     */
    BigDecimal[] spreadTerms(double centre) {
        if (keys < 1 || w.value().signum() == 0 || !(centre > 0) || !Double.isFinite(centre)) {
            return null;
        }
        BigDecimal mu = new BigDecimal(centre);
        BigDecimal mu2 = mu.multiply(mu);
        BigDecimal q = wy2.value().subtract(mu.multiply(wy.value()).multiply(BigDecimal.valueOf(2)))
                .add(mu2.multiply(w.value()));
        return new BigDecimal[] {q.subtract(BigDecimal.valueOf(keys)), mu2.multiply(w.value())};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BetweenKeySums s && keys == s.keys && w.equals(s.w) && wy.equals(s.wy) && wy2.equals(s.wy2)
                && w2.equals(s.w2);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(keys) * 31 + w.hashCode();
    }
}
