package adrank.jobs.pipeline;

import adrank.udfs.compare.Movers;
import adrank.udfs.compare.RankRatios;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The console table and the JSON lines of {@code rank compare}. The console shows ranks as CPM in
 * dollars; JSON lines keep money in micros, as stored (field names say so).
 */
public final class CompareReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The quantiles reported. */
    public static final List<Double> QUANTILES = List.of(0.01, 0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95, 0.99);

    private CompareReport() {
    }

    /** The console table. */
    public static void table(Compare.Outcome o, PrintStream out) {
        out.printf(Locale.ROOT, "A = %s: %,d keys%nB = %s: %,d keys%n", o.sideA(), o.keysA(), o.sideB(), o.keysB());
        out.printf(Locale.ROOT, "keys in both %,d; only in A %,d (%,d impressions); only in B %,d%s%n", o.both(),
                o.onlyInA(), o.onlyInAImpressions(), o.onlyInB(), o.onlyInBImpressions() == null ? ""
                        : String.format(Locale.ROOT, " (%,d impressions)", o.onlyInBImpressions()));
        out.printf(Locale.ROOT, "identical %,d; different %,d (rank changed %,d); identical = %s%n", o.identical(),
                o.different(), o.rankChanged(), o.identity());
        RankRatios r = o.ratios();
        out.printf(Locale.ROOT, "%nrank ratio B/A over %,d keys with a positive rank on both sides (%s):%n",
                r.ratios(), r.exact() ? "exact quantiles" : "quantiles from log bins, within 4.7 %");
        if (r.ratios() > 0) {
            out.printf(Locale.ROOT, "  up %,d, down %,d, equal %,d; geometric mean %s%n ", r.up(), r.down(),
                    r.equal(), ratio(r.geometricMean()));
            for (double p : QUANTILES) {
                out.printf(Locale.ROOT, " p%s %s", percent(p), ratio(r.quantile(p)));
            }
            out.println();
        }
        out.printf(Locale.ROOT, "  counted apart: no rank on A %,d, on B %,d, on both %,d; rank 0 on A %,d, on B %,d, "
                + "on both %,d%n", r.noRankA(), r.noRankB(), r.noRankBoth(), r.zeroA(), r.zeroB(), r.bothZero());
        List<RankRatios.Bin> bins = nonEmptyRange(r.histogram());
        if (!bins.isEmpty()) {
            long max = bins.stream().mapToLong(RankRatios.Bin::keys).max().orElse(1);
            out.printf(Locale.ROOT, "%nhistogram of B/A (5 bins a power of ten; empty bins not shown):%n");
            for (RankRatios.Bin b : bins) {
                if (b.keys() == 0) {
                    continue;
                }
                out.printf(Locale.ROOT, "  %-22s %,10d  %s%n", label(b), b.keys(),
                        "#".repeat((int) Math.round(40.0 * b.keys() / Math.max(max, 1))));
            }
        }
        if (!o.segments().isEmpty()) {
            out.printf(Locale.ROOT, "%ntop movers %s (score = |ln(B/A)| x mean impressions of A and B):%n",
                    segmentsTitle(o));
            for (Movers.Segment s : o.segments()) {
                out.printf(Locale.ROOT, "%n%s: %,d keys in both, impressions A %,d B %,d, revenue A $%,.2f B $%,.2f%n",
                        s.segment(), s.keys(), s.impressionsA(), s.impressionsB(), s.revenueA() / 1e6,
                        s.revenueB() / 1e6);
                if (s.movers().isEmpty()) {
                    out.println("  (no key with a positive rank on both sides moved)");
                    continue;
                }
                out.printf(Locale.ROOT, "  %-56s %12s %12s %12s %8s %12s%n", "KEY", "IMPRESSIONS", "RANK_A $",
                        "RANK_B $", "B/A", "SCORE");
                for (Movers.Mover m : s.movers()) {
                    out.printf(Locale.ROOT, "  %-56s %,12.0f %12.4f %12.4f %8s %12.1f%n", m.key(), m.impressions(),
                            m.rankA() / 1e6, m.rankB() / 1e6, ratio(m.ratio()), m.score());
                }
            }
        }
    }

    /** "in the 5 of 20 segments of geo with the most revenue", or "over all keys". */
    static String segmentsTitle(Compare.Outcome o) {
        if (o.segmentLevel() == null) {
            return "over all keys";
        }
        return String.format(Locale.ROOT, "in the %d of %,d segments of %s with the most %s", o.segments().size(),
                o.segmentCount(), String.join(",", o.segmentLevel()),
                o.order() == Movers.Order.REVENUE ? "revenue" : "keys");
    }

    /** JSON lines (one object each); returns how many. */
    public static long jsonLines(Compare.Outcome o, PrintStream out) {
        long n = 0;
        ObjectNode sides = MAPPER.createObjectNode().put("type", "sides").put("a", o.sideA()).put("b", o.sideB())
                .put("schema_a", o.schemaA()).put("schema_b", o.schemaB()).put("identical_means", o.identity())
                .put("elapsed_ms", o.elapsed().toMillis());
        out.println(sides);
        n++;
        RankRatios r = o.ratios();
        ObjectNode counts = MAPPER.createObjectNode().put("type", "counts").put("keys_a", o.keysA())
                .put("keys_b", o.keysB()).put("both", o.both()).put("only_in_a", o.onlyInA())
                .put("only_in_a_impressions", o.onlyInAImpressions()).put("only_in_b", o.onlyInB());
        if (o.onlyInBImpressions() == null) {
            counts.putNull("only_in_b_impressions");
        } else {
            counts.put("only_in_b_impressions", o.onlyInBImpressions());
        }
        counts.put("identical", o.identical()).put("different", o.different()).put("rank_changed", o.rankChanged())
                .put("ratios", r.ratios()).put("up", r.up()).put("down", r.down()).put("equal", r.equal())
                .put("no_rank_a", r.noRankA()).put("no_rank_b", r.noRankB()).put("no_rank_both", r.noRankBoth())
                .put("zero_a", r.zeroA()).put("zero_b", r.zeroB()).put("both_zero", r.bothZero())
                .put("quantiles_exact", r.exact());
        if (r.geometricMean() == null) {
            counts.putNull("geometric_mean");
        } else {
            counts.put("geometric_mean", r.geometricMean());
        }
        out.println(counts);
        n++;
        if (r.ratios() > 0) {
            for (double p : QUANTILES) {
                out.println(MAPPER.createObjectNode().put("type", "quantile").put("p", p).put("ratio", r.quantile(p)));
                n++;
            }
        }
        for (RankRatios.Bin b : r.histogram()) {
            if (b.keys() == 0) {
                continue;
            }
            ObjectNode bin = MAPPER.createObjectNode().put("type", "bin").put("lower", b.lower());
            if (Double.isInfinite(b.upper())) {
                bin.putNull("upper");
            } else {
                bin.put("upper", b.upper());
            }
            out.println(bin.put("keys", b.keys()));
            n++;
        }
        String level = o.segmentLevel() == null ? null : String.join(",", o.segmentLevel());
        int position = 0;
        for (Movers.Segment s : o.segments()) {
            position++;
            ObjectNode seg = MAPPER.createObjectNode().put("type", "segment").put("level", level)
                    .put("segment", s.segment()).put("position", position)
                    .put("ordered_by", o.order().name().toLowerCase(Locale.ROOT)).put("keys", s.keys())
                    .put("impressions_a", s.impressionsA()).put("impressions_b", s.impressionsB())
                    .put("revenue_a_micros", s.revenueA()).put("revenue_b_micros", s.revenueB());
            out.println(seg);
            n++;
            int rank = 0;
            for (Movers.Mover m : s.movers()) {
                out.println(MAPPER.createObjectNode().put("type", "mover").put("segment", s.segment())
                        .put("position", ++rank).put("key", m.key()).put("rank_a_micros", m.rankA())
                        .put("rank_b_micros", m.rankB()).put("ratio", m.ratio()).put("impressions", m.impressions())
                        .put("score", m.score()));
                n++;
            }
        }
        return n;
    }

    /** The bins from the first to the last non-empty one (empty when none is). */
    static List<RankRatios.Bin> nonEmptyRange(List<RankRatios.Bin> bins) {
        int first = -1;
        int last = -1;
        for (int i = 0; i < bins.size(); i++) {
            if (bins.get(i).keys() > 0) {
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        return first < 0 ? List.of() : bins.subList(first, last + 1);
    }

    /** E.g. {@code [1.00, 1.58)}, {@code < 1e-06}, {@code >= 1e+06}. */
    static String label(RankRatios.Bin b) {
        if (b.lower() == 0) {
            return "< " + ratio(b.upper());
        }
        if (Double.isInfinite(b.upper())) {
            return ">= " + ratio(b.lower());
        }
        return "[" + ratio(b.lower()) + ", " + ratio(b.upper()) + ")";
    }

    /** A ratio with 3 significant digits ("-" for none). */
    public static String ratio(Double x) {
        return x == null ? "-" : String.format(Locale.ROOT, "%.3g", x);
    }

    private static String percent(double p) {
        return String.format(Locale.ROOT, "%.0f", 100 * p);
    }
}
