package adrank.udfs.compare;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys whose rank moved most, per segment (a parent level of the key, e.g. {@code geo:MX}),
 * in memory bounded by segments x K whatever the number of keys: each segment keeps its volume and
 * a {@link TopK} of its movers.
 *
 * <p>A mover's score is {@code |ln(rankB / rankA)| x impressions}, the impressions being the mean
 * of the two sides' (total-to-limit + today): the log ratio treats a halving like a doubling, and
 * the weight puts keys that serve many impressions before thin keys whose rank jumps on little
 * data (those are what shrinkage is for). It is symmetric: swapping A and B gives the same score.
 * Only keys with a positive rank on both sides and a ratio other than 1 are movers; the others
 * still count in their segment's volume.
 *
 * <p>Mutable, not thread-safe.
 */
public final class Movers {

    /** How segments are ordered to pick the top N. */
    public enum Order {
        /** By the revenue of their keys in both sides (mean of the two sides), largest first. */
        REVENUE,
        /** By their keys in both sides, most first. */
        KEYS
    }

    /**
     * One moved key.
     *
     * @param rankA       A's rank (micros CPM)
     * @param rankB       B's rank
     * @param impressions the mean of the two sides' impressions
     */
    public record Mover(String key, double rankA, double rankB, double impressions, double score) {
        /** B / A. */
        public double ratio() {
            return rankB / rankA;
        }
    }

    /**
     * One segment's volume (its keys in both sides) and top movers.
     *
     * @param revenueA revenue micros of its keys on side A (total-to-limit + today)
     * @param movers   best first, at most K
     */
    public record Segment(String segment, long keys, long impressionsA, long impressionsB, long revenueA,
            long revenueB, List<Mover> movers) {
    }

    private final int k;
    private final Map<String, Acc> segments = new HashMap<>();

    private static final class Acc {
        long keys;
        long impsA;
        long impsB;
        long revA;
        long revB;
        final TopK<Mover> top;

        Acc(int k) {
            top = new TopK<>(k);
        }
    }

    /**
     * @param k movers kept per segment
     * @throws IllegalArgumentException if {@code k < 0}
     */
    public Movers(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        this.k = k;
    }

    /**
     * {@code |ln(rankB / rankA)| x (impressionsA + impressionsB) / 2}.
     *
     * @throws InvalidInputException unless both ranks are positive and finite and the impressions >= 0
     */
    public static double score(double rankA, double rankB, long impressionsA, long impressionsB) {
        if (!(rankA > 0) || !(rankB > 0) || !Double.isFinite(rankA) || !Double.isFinite(rankB)) {
            throw new InvalidInputException("a mover needs positive finite ranks, got " + rankA + " and " + rankB);
        }
        if (impressionsA < 0 || impressionsB < 0) {
            throw new InvalidInputException("impressions must be >= 0, got " + impressionsA + " and " + impressionsB);
        }
        return Math.abs(Math.log(rankB / rankA)) * ((impressionsA + (double) impressionsB) / 2);
    }

    /**
     * Adds one key in both sides to its segment.
     *
     * @param rankA A's rank, null for none
     * @param rankB B's rank, null for none
     * @throws InvalidInputException on a negative rank, impressions or revenue
     * @throws ArithmeticException   if a sum overflows
     */
    public void add(String segment, String key, Double rankA, Double rankB, long impressionsA, long impressionsB,
            long revenueA, long revenueB) {
        if (impressionsA < 0 || impressionsB < 0 || revenueA < 0 || revenueB < 0) {
            throw new InvalidInputException("key " + key + ": impressions and revenue must be >= 0");
        }
        RankRatios.Kind kind = RankRatios.kind(rankA, rankB);
        Acc acc = segments.computeIfAbsent(segment, s -> new Acc(k));
        acc.keys++;
        acc.impsA = Math.addExact(acc.impsA, impressionsA);
        acc.impsB = Math.addExact(acc.impsB, impressionsB);
        acc.revA = Math.addExact(acc.revA, revenueA);
        acc.revB = Math.addExact(acc.revB, revenueB);
        if (kind == RankRatios.Kind.RATIO && !rankA.equals(rankB)) {
            double score = score(rankA, rankB, impressionsA, impressionsB);
            acc.top.offer(score, key, new Mover(key, rankA, rankB, (impressionsA + (double) impressionsB) / 2, score));
        }
    }

    /** Segments seen. */
    public int segments() {
        return segments.size();
    }

    /** The {@code n} largest segments by {@code order} (ties: segment name), each with its movers. */
    public List<Segment> top(int n, Order order) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        Comparator<Map.Entry<String, Acc>> size = order == Order.REVENUE
                ? Comparator.comparingLong((Map.Entry<String, Acc> e) -> e.getValue().revA + e.getValue().revB)
                : Comparator.comparingLong((Map.Entry<String, Acc> e) -> e.getValue().keys);
        List<Map.Entry<String, Acc>> all = new ArrayList<>(segments.entrySet());
        all.sort(size.reversed().thenComparing(Map.Entry::getKey));
        List<Segment> out = new ArrayList<>();
        for (Map.Entry<String, Acc> e : all.subList(0, Math.min(n, all.size()))) {
            Acc a = e.getValue();
            out.add(new Segment(e.getKey(), a.keys, a.impsA, a.impsB, a.revA, a.revB,
                    a.top.best().stream().map(TopK.Scored::item).toList()));
        }
        return out;
    }
}
