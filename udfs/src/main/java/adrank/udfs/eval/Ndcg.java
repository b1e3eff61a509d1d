package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How well a predicted CPM orders the ads competing in one context (e.g. one geo × device × os ×
 * browser × connection), and a mergeable accumulator averaging that over context groups.
 *
 * <p><b>One group</b> ({@link #score}): the ads are sorted by predicted CPM, highest first. The
 * gain of an ad is its <em>realised CPM</em> {@code g = rev / imps · 1000} on day D+1 (linear,
 * in micros: revenue per impression, which is what serving that ad earns), not its realised
 * revenue, which also measures how much traffic yesterday's ranking gave it and so would reward
 * reproducing that ranking. Ads without realised impressions have no realised CPM and are not
 * judged (they leave the group). Then
 * <pre>
 *   DCG@k = Σ_{j=1..min(k,m)} g_j / log2(j + 1),   NDCG@k = DCG@k / IDCG@k
 * </pre>
 * with IDCG the DCG of the ads sorted by realised CPM. Ads tied in the prediction (thin keys
 * shrunk to the same parent CPM tie often) give each of their positions the mean gain of the
 * tie block — the expected DCG over the orders of the tie (McSherry &amp; Najork 2008) — so the
 * score does not depend on the order of the rows. {@code topVsBest} = realised CPM of the
 * top-ranked ad (the mean of a tied top) / the best realised CPM in the group, in [0, 1].
 *
 * <p><b>Over groups</b> (the record): each group's NDCG and top-vs-best are averaged weighted by
 * the group's realised impressions. Groups with fewer than two judged ads (nothing to order)
 * and groups whose judged ads earned nothing (IDCG = 0, no best ad) are counted but not
 * averaged.
 *
 * @param k                   the cut-off, {@code >= 1}
 * @param groups              groups added
 * @param groupsTooSmall      groups with fewer than two judged ads
 * @param groupsWithoutRevenue groups with two or more judged ads and no realised revenue
 * @param impressions         {@code Σ w} over the averaged groups (w = realised impressions)
 * @param sumNdcg             {@code Σ w·NDCG@k}
 * @param sumTopVsBest        {@code Σ w·topVsBest}
 */
public record Ndcg(int k, long groups, long groupsTooSmall, long groupsWithoutRevenue,
                   long impressions, double sumNdcg, double sumTopVsBest)
    implements java.io.Serializable {

    /**
     * @throws IllegalArgumentException                if {@code k < 1}
     * @throws adrank.udfs.rank.InvalidInputException if a count or sum is negative, NaN or
     *                                                infinite, or the skipped groups exceed the
     *                                                groups
     */
    public Ndcg {
        requireK(k);
        Inputs.count("groups", groups);
        Inputs.count("groupsTooSmall", groupsTooSmall);
        Inputs.count("groupsWithoutRevenue", groupsWithoutRevenue);
        Inputs.count("impressions", impressions);
        Inputs.nonNegative("sumNdcg", sumNdcg);
        Inputs.nonNegative("sumTopVsBest", sumTopVsBest);
        Checks.atMost("groupsTooSmall + groupsWithoutRevenue",
            groupsTooSmall + groupsWithoutRevenue, "groups", groups);
    }

    /**
     * No groups.
     *
     * @param k the cut-off, {@code >= 1} ({@link Integer#MAX_VALUE} for the whole list)
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static Ndcg empty(int k) {
        return new Ndcg(k, 0, 0, 0, 0, 0, 0);
    }

    /**
     * One ad of a context group.
     *
     * @param predictedCpm  the prediction as of day D, micros per thousand impressions
     * @param revenueMicros day D+1's revenue
     * @param impressions   day D+1's impressions (0: the ad is not judged)
     */
    public record Ad(double predictedCpm, long revenueMicros, long impressions)
        implements java.io.Serializable {

        /**
         * @throws InvalidInputException if a value is negative, NaN or infinite
         */
        public Ad {
            Inputs.nonNegative("predictedCpm", predictedCpm);
            predictedCpm += 0.0; // −0.0 ties with 0.0
            Inputs.count("revenueMicros", revenueMicros);
            Inputs.count("impressions", impressions);
        }

        /**
         * An ad from nullable (SQL) values.
         *
         * @throws InvalidInputException on a null, negative, NaN or infinite value
         */
        public static Ad of(Double predictedCpm, Long revenueMicros, Long impressions) {
            return new Ad(Inputs.nonNegative("predictedCpm", predictedCpm),
                Inputs.count("revenueMicros", revenueMicros),
                Inputs.count("impressions", impressions));
        }
    }

    /**
     * The score of one group.
     *
     * @param k           the cut-off it was computed with
     * @param ads         ads in the group
     * @param judgedAds   ads with realised impressions
     * @param impressions the group's realised impressions (its weight)
     * @param ndcg        NDCG@k; null with fewer than two judged ads or no realised revenue
     * @param topVsBest   realised CPM of the top-ranked ad / the best one; null likewise
     */
    public record GroupScore(int k, int ads, int judgedAds, long impressions, Double ndcg,
                             Double topVsBest) implements java.io.Serializable {

        /**
         * @throws IllegalArgumentException if {@code k < 1}
         * @throws InvalidInputException    if the counts are negative or inconsistent, or a
         *                                  ratio is outside [0, 1] or defined for a group of
         *                                  fewer than two judged ads
         */
        public GroupScore {
            requireK(k);
            Inputs.count("ads", (long) ads);
            Inputs.count("judgedAds", (long) judgedAds);
            Checks.atMost("judgedAds", judgedAds, "ads", ads);
            Inputs.count("impressions", impressions);
            if ((ndcg == null) != (topVsBest == null) || (ndcg != null && judgedAds < 2)) {
                throw new InvalidInputException("ndcg (" + ndcg + ") and topVsBest (" + topVsBest
                    + ") must both be null, or both defined for two or more judged ads ("
                    + judgedAds + ")");
            }
            ratio("ndcg", ndcg);
            ratio("topVsBest", topVsBest);
        }

        private static void ratio(String name, Double value) {
            if (value != null && !(value >= 0 && value <= 1)) {
                throw new InvalidInputException(name + " (" + value + ") is not in [0, 1]");
            }
        }
    }

    /**
     * NDCG@k and top-vs-best of one context group.
     *
     * @param ads the group's ads, in any order
     * @param k   the cut-off, {@code >= 1}
     * @throws InvalidInputException    if {@code ads} is null or holds a null
     * @throws IllegalArgumentException if {@code k < 1}
     * @throws ArithmeticException      if the group's impressions overflow a {@code long}
     */
    public static GroupScore score(List<Ad> ads, int k) {
        requireK(k);
        if (ads == null) {
            throw new InvalidInputException("ads is null");
        }
        List<double[]> judged = new ArrayList<>(ads.size()); // {predicted CPM, realised CPM}
        long impressions = 0;
        for (int i = 0; i < ads.size(); i++) {
            Ad ad = ads.get(i);
            if (ad == null) {
                throw new InvalidInputException("ads[" + i + "] is null");
            }
            if (ad.impressions() > 0) {
                impressions = Math.addExact(impressions, ad.impressions());
                judged.add(new double[] {ad.predictedCpm(),
                    (double) ad.revenueMicros() / ad.impressions() * 1000.0});
            }
        }
        int m = judged.size();
        if (m < 2) {
            return new GroupScore(k, ads.size(), m, impressions, null, null);
        }
        // predicted CPM descending; within a tie, gain descending: a fixed order whatever the
        // input order, so the tie means below are summed identically
        judged.sort(Comparator.<double[]>comparingDouble(a -> -a[0])
            .thenComparingDouble(a -> -a[1]));
        double[] ideal = judged.stream().mapToDouble(a -> a[1]).map(g -> -g).sorted()
            .map(g -> -g).toArray();
        if (ideal[0] == 0) {
            return new GroupScore(k, ads.size(), m, impressions, null, null);
        }
        int cut = (int) Math.min(k, m);
        double dcg = 0;
        double top = 0;
        for (int start = 0; start < cut; ) {
            int end = start + 1;
            double sum = judged.get(start)[1];
            while (end < m && judged.get(end)[0] == judged.get(start)[0]) {
                sum += judged.get(end)[1];
                end++;
            }
            double meanGain = sum / (end - start);
            if (start == 0) {
                top = meanGain;
            }
            for (int j = start; j < Math.min(end, cut); j++) {
                dcg += meanGain * discount(j);
            }
            start = end;
        }
        double idcg = 0;
        for (int j = 0; j < cut; j++) {
            idcg += ideal[j] * discount(j);
        }
        return new GroupScore(k, ads.size(), m, impressions, Math.min(1.0, dcg / idcg),
            Math.min(1.0, top / ideal[0]));
    }

    /** {@code 1 / log2(j + 2)} for the 0-based position {@code j}. */
    private static double discount(int j) {
        return Math.log(2) / Math.log(j + 2.0);
    }

    /**
     * Adds one context group.
     *
     * @throws InvalidInputException if {@code ads} is null or holds a null
     * @throws ArithmeticException   if a {@code long} sum overflows
     */
    public Ndcg add(List<Ad> ads) {
        return add(score(ads, k));
    }

    /**
     * Adds one group's score.
     *
     * @throws IllegalArgumentException if {@code score} is null or was computed with another k
     * @throws ArithmeticException      if a {@code long} sum overflows
     */
    public Ndcg add(GroupScore score) {
        if (score == null) {
            throw new IllegalArgumentException("score is null");
        }
        Checks.sameParameter("k", k, score.k());
        if (score.judgedAds() < 2) {
            return new Ndcg(k, groups + 1, groupsTooSmall + 1, groupsWithoutRevenue,
                impressions, sumNdcg, sumTopVsBest);
        }
        if (score.ndcg() == null) {
            return new Ndcg(k, groups + 1, groupsTooSmall, groupsWithoutRevenue + 1,
                impressions, sumNdcg, sumTopVsBest);
        }
        long w = score.impressions();
        return new Ndcg(k, groups + 1, groupsTooSmall, groupsWithoutRevenue,
            Math.addExact(impressions, w), sumNdcg + w * score.ndcg(),
            sumTopVsBest + w * score.topVsBest());
    }

    /**
     * Combines two partial accumulators (any order, equal up to rounding).
     *
     * @throws IllegalArgumentException if {@code other} is null or has another k
     * @throws ArithmeticException      if a {@code long} sum overflows
     */
    public Ndcg merge(Ndcg other) {
        Checks.other(other);
        Checks.sameParameter("k", k, other.k);
        return new Ndcg(k, Math.addExact(groups, other.groups),
            Math.addExact(groupsTooSmall, other.groupsTooSmall),
            Math.addExact(groupsWithoutRevenue, other.groupsWithoutRevenue),
            Math.addExact(impressions, other.impressions), sumNdcg + other.sumNdcg,
            sumTopVsBest + other.sumTopVsBest);
    }

    /** The averages; see {@link Result}. */
    public Result result() {
        long averaged = groups - groupsTooSmall - groupsWithoutRevenue;
        Double ndcg = impressions == 0 ? null : Math.min(1.0, sumNdcg / impressions);
        Double topVsBest = impressions == 0 ? null : Math.min(1.0, sumTopVsBest / impressions);
        return new Result(k, groups, averaged, groupsTooSmall, groupsWithoutRevenue, impressions,
            ndcg, topVsBest);
    }

    /**
     * The ordering metrics over the groups added.
     *
     * @param k                    the cut-off
     * @param groups               groups added
     * @param averagedGroups       groups in the averages
     * @param groupsTooSmall       groups with fewer than two judged ads
     * @param groupsWithoutRevenue groups whose judged ads earned nothing
     * @param impressions          realised impressions of the averaged groups
     * @param ndcg                 impression-weighted mean NDCG@k; null without averaged
     *                             impressions
     * @param topVsBest            impression-weighted mean top-vs-best ratio; null likewise
     */
    public record Result(int k, long groups, long averagedGroups, long groupsTooSmall,
                         long groupsWithoutRevenue, long impressions, Double ndcg,
                         Double topVsBest) implements java.io.Serializable {
    }

    private static int requireK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k (" + k + ") is not >= 1");
        }
        return k;
    }
}
