package adrank.jobs.pipeline;

import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Ndcg;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.RateLogLoss;
import adrank.udfs.eval.Scorecard;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How {@code rank evaluate} shows its scorecard: a console table for people (money in dollars)
 * and JSON lines for machines (money in micros, one line per (scope, bucket, predictor, metric)).
 */
public final class EvaluateReport {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int RANK = Prediction.RANK;
    private static final int RAW = Prediction.RAW;
    private static final int PARENT = Prediction.PARENT;

    private EvaluateReport() {
    }

    /** Writes one JSON object per metric: {@code from, to, scope, bucket, predictor, metric, value}. */
    public static long jsonLines(EvaluateJob.Outcome o, PrintStream out) throws java.io.IOException {
        long lines = 0;
        for (Scorecard.Metric m : o.scorecard().metrics()) {
            ObjectNode json = MAPPER.createObjectNode();
            json.put("from", o.from().toString());
            json.put("to", o.to().toString());
            json.put("scope", m.scope());
            json.put("bucket", m.bucket());
            json.put("predictor", m.predictor());
            json.put("metric", m.metric());
            if (m.value() == null) {
                json.putNull("value");
            } else if (m.value() instanceof Long l) {
                json.put("value", l);
            } else {
                json.put("value", m.value().doubleValue());
            }
            out.println(MAPPER.writeValueAsString(json));
            lines++;
        }
        return lines;
    }

    /** The console tables (with the per-segment tables when the scorecard has a segment level). */
    public static void table(EvaluateJob.Outcome o, PrintStream out) {
        Scorecard s = o.scorecard();
        Map<String, Scorecard.Cell> cells = s.cells();
        out.printf(Locale.ROOT, "%s, D in [%s, %s): %s key-days%n", what(o), o.from(), o.to(),
                count(cells.isEmpty() ? 0 : cells.get(Scorecard.ALL).keys()));
        out.printf(Locale.ROOT, "keys scored per day:");
        s.keysPerDay().forEach((d, n) -> out.printf(Locale.ROOT, " %s %s", d, count(n)));
        out.println();
        out.printf(Locale.ROOT, "not scored: %s; %s faulty%n", notScored(o), count(o.faulty()));
        out.printf(Locale.ROOT, "%nnext day: CPM error in $ per thousand impressions (weighted by D+1 impressions), "
                + "CAL = predicted / realised revenue%n");
        nextDayRows(cells, out);
        out.printf(Locale.ROOT, "%nordering within a context (same key but the ad), NDCG@%d / top-vs-best, "
                + "weighted by D+1 impressions:%n", EvaluateJob.NDCG_K);
        for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
            Ndcg.Result r = s.ordering(i).result();
            out.printf(Locale.ROOT, "  %-6s NDCG %s  top-vs-best %s  (%s of %s groups with 2+ ads and revenue)%n",
                    Prediction.PREDICTORS.get(i), ratio(r.ndcg()), ratio(r.topVsBest()), count(r.averagedGroups()),
                    count(r.groups()));
        }
        Scorecard.Cell all = cells.get(Scorecard.ALL);
        if (all == null || all.truthKeys() == 0) {
            out.printf(Locale.ROOT, "%n(no --truth: no error against the true CPM, no VPC coverage)%n");
            segmentTables(o, out);
            return;
        }
        out.printf(Locale.ROOT, "%nagainst the truth: CPM error in $ per thousand impressions vs the true CPM "
                + "(weighted by D+1 impressions); VPC_COV = share of true VPCs in the rank's %.0f %% interval; "
                + "TRUE->D+1 = the true CPM's own next-day RMSE and CAL (no predictor can do much better: the day's "
                + "noise)%n", 100 * all.vpcCoverage().nominal());
        truthRows(cells, out);
        segmentTables(o, out);
    }

    /**
     * The per-segment tables (the end of {@link #table}): the same columns per segment of the scorecard's level, the
     * largest by D+1 impressions, the rest as one row; nothing without a level.
     */
    public static void segmentTables(EvaluateJob.Outcome o, PrintStream out) {
        Scorecard s = o.scorecard();
        if (s.segmentLevel() == null) {
            return;
        }
        Map<String, Scorecard.Cell> segments = s.segments();
        out.printf(Locale.ROOT, "%nnext day per segment of %s (the %d largest of %s by D+1 impressions%s)%n",
                s.segmentLevel(), Math.min(s.segmentTop(), s.segmentCount()), count(s.segmentCount()),
                s.segmentCount() > s.segmentTop() ? ", the rest as '" + s.otherSegments() + "'" : "");
        nextDayRows(segments, out);
        if (segments.values().stream().anyMatch(c -> c.truthKeys() > 0)) {
            out.printf(Locale.ROOT, "%nagainst the truth per segment of %s%n", s.segmentLevel());
            truthRows(segments, out);
        }
    }

    /** What is scored against what. */
    static String what(EvaluateJob.Outcome o) {
        return o.source() == EvaluateJob.Source.SERVED
                ? "predictions served on D+1 (the record of the last publish that day) against D+1"
                : "predictions as of D against D+1";
    }

    /** The key-days not scored, and their D+1 revenue. */
    static String notScored(EvaluateJob.Outcome o) {
        return String.format(Locale.ROOT, o.source() == EvaluateJob.Source.SERVED
                ? "%s key-days with history as of D but nothing served for them on D+1, with $%.2f D+1 revenue"
                : "%s key-days new on D+1 (no history as of D) with $%.2f revenue", count(o.newKeys()),
                o.newRevenueMicros() / 1e6);
    }

    private static int width(Map<String, Scorecard.Cell> cells) {
        return Math.max(12, cells.keySet().stream().mapToInt(String::length).max().orElse(0));
    }

    private static void nextDayRows(Map<String, Scorecard.Cell> cells, PrintStream out) {
        int w = width(cells);
        out.printf(Locale.ROOT, "%-" + w + "s %9s %11s | %8s %8s %5s | %8s %8s %5s | %8s %8s %5s | %-19s %s%n",
                "BUCKET", "KEYS", "IMPS_D+1", "RANK_MAE", "RMSE", "CAL", "RAW_MAE", "RMSE", "CAL", "PAR_MAE", "RMSE",
                "CAL", "CTR_NE rank/raw/par", "CVR_NE rank/raw/par");
        for (Map.Entry<String, Scorecard.Cell> e : cells.entrySet()) {
            Scorecard.Cell c = e.getValue();
            out.printf(Locale.ROOT, "%-" + w + "s %9s %11s | %s | %s | %s | %-19s %s%n", e.getKey(), count(c.keys()),
                    count(c.nextDay(RANK).impressions()), cpm(c.nextDay(RANK)), cpm(c.nextDay(RAW)),
                    cpm(c.nextDay(PARENT)), rates(i -> c.ctr(i)), rates(i -> c.cvr(i)));
        }
    }

    private static void truthRows(Map<String, Scorecard.Cell> cells, PrintStream out) {
        int w = width(cells);
        out.printf(Locale.ROOT, "%-" + w + "s %9s | %8s %8s %5s | %8s %8s %5s | %8s %8s %5s | %7s %9s | %-14s%n",
                "BUCKET", "KEYS", "RANK_MAE", "RMSE", "CAL", "RAW_MAE", "RMSE", "CAL", "PAR_MAE", "RMSE", "CAL",
                "VPC_COV", "NO_VPC", "TRUE->D+1 RMSE CAL");
        for (Map.Entry<String, Scorecard.Cell> e : cells.entrySet()) {
            Scorecard.Cell c = e.getValue();
            if (c.truthKeys() == 0) {
                continue;
            }
            CpmErrors.Result oracle = c.trueCpmNextDay();
            out.printf(Locale.ROOT, "%-" + w + "s %9s | %s | %s | %s | %7s %9s | %8s %5s%n", e.getKey(),
                    count(c.truthKeys()), cpm(c.truth(RANK)), cpm(c.truth(RAW)), cpm(c.truth(PARENT)),
                    ratio(c.vpcCoverage().share()), count(c.truthKeysWithoutVpc()), dollars(oracle.rmse()),
                    ratio(oracle.calibration()));
        }
    }

    private static String cpm(CpmErrors.Result r) {
        return String.format(Locale.ROOT, "%8s %8s %5s", dollars(r.mae()), dollars(r.rmse()), ratio(r.calibration()));
    }

    private static String rates(Function<Integer, RateLogLoss.Result> of) {
        return ratio(of.apply(RANK).normalizedEntropy()) + "/" + ratio(of.apply(RAW).normalizedEntropy()) + "/"
                + ratio(of.apply(PARENT).normalizedEntropy());
    }

    /** Micros to dollars, 3 decimals; {@code -} when undefined. */
    public static String dollars(Double micros) {
        return micros == null ? "-" : String.format(Locale.ROOT, "%.3f", micros / 1e6);
    }

    /** A ratio, 3 decimals; {@code -} when undefined. */
    public static String ratio(Double r) {
        return r == null ? "-" : String.format(Locale.ROOT, "%.3f", r);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
