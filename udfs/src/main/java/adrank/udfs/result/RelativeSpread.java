package adrank.udfs.result;

import java.io.Serializable;
import java.math.BigDecimal;

/**
 * The relative spread ρ² = τ²/μ² of the keys' true CPMs around their parent, pooled over all parents
 * of one level (one segment of {@code rank.parents}): the level's estimate for a parent whose own
 * moment estimate came out at 0.
 *
 * <p>Why: a parent of few keys — or one key that carries almost all its impressions, whose CPM is then
 * the parent's — often shows no spread beyond the keys' noise, and τ² = 0 would shrink its keys all
 * the way (k = ∞, weight 0, the parent's CPM however well a key is measured). Borrowing from the
 * level is what a degenerate VPC prior does too ({@link ParentModel#usableForVpc}). Under
 * {@code θᵢ ~ (μ_p, ρ²·μ_p²)} every parent's {@code Q_p − K_p} has expectation
 * {@code ρ²·μ_p²·Σw_p} ({@link BetweenKeySums#tau2Around}), so pooling the two sums over the level
 * gives {@code ρ² = max(0, Σ(Q_p − K_p) / Σ(μ_p²·Σw_p))}. Sums are exact, so the merge
 * order of a reduce cannot change it.
 */
public final class RelativeSpread implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final RelativeSpread EMPTY = new RelativeSpread(BigDecimal.ZERO, BigDecimal.ZERO, 0);

    private final BigDecimal excess;
    private final BigDecimal scale;
    private final long parents;

    private RelativeSpread(BigDecimal excess, BigDecimal scale, long parents) {
        this.excess = excess;
        this.scale = scale;
        this.parents = parents;
    }

    /** One parent's share: its keys' terms around its CPM; EMPTY when it has none or no revenue. */
    public static RelativeSpread of(BetweenKeySums parent, double parentCpm) {
        BigDecimal[] terms = parent.spreadTerms(parentCpm);
        return terms == null ? EMPTY : new RelativeSpread(terms[0], terms[1], 1);
    }

    public RelativeSpread plus(RelativeSpread o) {
        return new RelativeSpread(excess.add(o.excess), scale.add(o.scale), Math.addExact(parents, o.parents));
    }

    /** Parents pooled. */
    public long parents() {
        return parents;
    }

    /** ρ², or null when no parent contributed. */
    public Double rho2() {
        if (scale.signum() == 0) {
            return null;
        }
        return Math.max(0.0, excess.divide(scale, ExactSum.CONTEXT).doubleValue());
    }

    /**
     * The between-key variance a parent's keys shrink with: its own τ² when positive, else its level's
     * ρ²·μ² (when the level has a positive one), else its own (0 or null).
     */
    public static Double borrowed(Double ownTau2, Double levelRho2, double parentCpm) {
        if (ownTau2 == null || ownTau2 > 0 || levelRho2 == null || !(levelRho2 > 0)) {
            return ownTau2;
        }
        return levelRho2 * parentCpm * parentCpm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RelativeSpread s && parents == s.parents && excess.compareTo(s.excess) == 0
                && scale.compareTo(s.scale) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(parents) * 31 + Double.hashCode(excess.doubleValue());
    }
}
