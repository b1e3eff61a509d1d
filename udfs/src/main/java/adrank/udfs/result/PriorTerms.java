package adrank.udfs.result;

import java.util.List;
import java.util.Map;

/**
 * A key's share in the spread τ² of its parents' keys, and τ² from the summed shares: the one rule
 * both ways of fitting the prior strengths use (every parent broadcast to every task, or by ad), so
 * they agree bit for bit. The terms must not depend on τ² (they are what it is estimated from).
 */
public final class PriorTerms {

    private PriorTerms() {
    }

    /**
     * The key's terms, by parent key: its {@link KeyResults#betweenKeyTerm} in the parent its rank
     * shrinks toward ({@link KeyResults#rankParent}); none without such a parent, a CPM or a noise model.
     *
     * @param chain the key's parents in fallback order (null where a parent has no row)
     * @param noise the noise model of the key's noise segment, or null
     */
    public static List<Map.Entry<String, BetweenKeySums>> of(KeyState state, List<ParentModel> chain,
            NoiseModel noise, RankSettings settings) {
        ParentModel parent = KeyResults.rankParent(chain, settings);
        if (parent == null || parent.cpm() == null) {
            return List.of();
        }
        BetweenKeySums term = KeyResults.betweenKeyTerm(state, parent.cpm(), noise, settings);
        return term == null ? List.of() : List.of(Map.entry(parent.parentKey(), term));
    }

    /** τ² of a parent's keys around its CPM from their summed terms, or null (no parent, no CPM, no key). */
    public static Double tau2(ParentModel parent, BetweenKeySums sums) {
        return parent == null || parent.cpm() == null ? null : sums.tau2Around(parent.cpm());
    }

    /**
     * τ² as the keys' results use it: the parent's own ({@link #tau2(ParentModel, BetweenKeySums)}), or where
     * that is 0 its level's pooled relative spread times its CPM² ({@link RelativeSpread#borrowed}).
     *
     * @param levelSpread level ({@link #level}) → pooled ρ² over all of the level's parents
     */
    public static Double tau2(ParentModel parent, BetweenKeySums sums, Map<String, Double> levelSpread) {
        Double own = tau2(parent, sums);
        return own == null ? null : RelativeSpread.borrowed(own, levelSpread.get(level(parent.parentKey())), parent.cpm());
    }

    /** The parent's share in its level's {@link RelativeSpread} (EMPTY without a CPM). */
    public static RelativeSpread spread(ParentModel parent, BetweenKeySums sums) {
        return parent == null || parent.cpm() == null ? RelativeSpread.EMPTY : RelativeSpread.of(sums, parent.cpm());
    }

    /**
     * A parent key's level: its segment's dimension names with any scope prefix ({@code *} for the global
     * segment), e.g. {@code ad_id,geo} of {@code ad_id,geo:ad000007|FR}.
     */
    public static String level(String parentKey) {
        int colon = parentKey.indexOf(':');
        return colon < 0 ? parentKey : parentKey.substring(0, colon);
    }
}
