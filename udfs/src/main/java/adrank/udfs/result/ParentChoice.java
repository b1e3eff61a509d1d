package adrank.udfs.result;

import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * Which parent segment a key uses: the one rule shared by the batch (the parent a key's rank
 * shrinks toward, {@link KeyResults#compute}) and the ad servers' reader (the parent that answers
 * for a key missing from a snapshot), so the two can never disagree.
 *
 * <p>The rule, over the candidates in configured order ({@code rank.parents}, the global
 * segment last):
 * <ol>
 *   <li>the first candidate that has a CPM and at least {@code minImpressions} impressions
 *       ({@code rank.parent-min-impressions});</li>
 *   <li>else the last candidate (the global segment) if it has a CPM, however few impressions;</li>
 *   <li>else none.</li>
 * </ol>
 * A candidate "has a CPM" when it exists (a segment without keys has no row) and its CPM is
 * defined (it has impressions). Pure and allocation-free.
 */
public final class ParentChoice {

    /** No candidate qualifies. */
    public static final int NONE = -1;

    private ParentChoice() {
    }

    /**
     * The index of the chosen candidate, or {@link #NONE}.
     *
     * @param candidates     how many candidates there are (indexes 0 .. candidates - 1)
     * @param hasCpm         whether candidate i exists and has a CPM
     * @param impressions    candidate i's impressions (asked only when it has a CPM)
     * @param minImpressions the minimum for a candidate other than the last resort, &gt;= 0
     */
    public static int choose(int candidates, IntPredicate hasCpm, IntToLongFunction impressions,
            long minImpressions) {
        if (minImpressions < 0) {
            throw new IllegalArgumentException("minimum impressions must be >= 0, got " + minImpressions);
        }
        for (int i = 0; i < candidates; i++) {
            if (hasCpm.test(i) && impressions.applyAsLong(i) >= minImpressions) {
                return i;
            }
        }
        int last = candidates - 1;
        return last >= 0 && hasCpm.test(last) ? last : NONE;
    }

    /**
     * Whether {@link #choose} can ever pick a candidate that has a CPM and {@code impressions}, whatever the other
     * candidates are: the last resort always can, any other only with at least {@code minImpressions}. A reader
     * that is never given the candidates that cannot be chosen chooses exactly as one given all of them (a missing
     * candidate is one without a CPM), which is why a publish leaves them out of a snapshot.
     *
     * @param lastResort whether the candidate is the last one (the global segment)
     */
    public static boolean canBeChosen(boolean lastResort, long impressions, long minImpressions) {
        if (minImpressions < 0) {
            throw new IllegalArgumentException("minimum impressions must be >= 0, got " + minImpressions);
        }
        return lastResort || impressions >= minImpressions;
    }
}
