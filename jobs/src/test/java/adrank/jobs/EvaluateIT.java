package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.EvaluateHtml;
import adrank.jobs.pipeline.EvaluateJob;
import adrank.jobs.pipeline.EvaluateReport;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.eval.TruthFile;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.Scorecard;
import adrank.udfs.eval.Truth;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code rank evaluate} on four generated days (D = days 1..3, realised 2..4): what must hold by
 * construction, a calibration recomputed here from an export, and against the generator's truth
 * that shrinkage helps the thin keys.
 */
@ExtendWith(AdrankStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluateIT {

    private static final LocalDate START = LocalDate.of(2026, 6, 1);
    private static final int DAYS = 4;
    private static final int HOURS = 1;
    private static final double K = 300;

    private static final int SEGMENT_TOP = 3;

    private Map<String, String> settings;
    private Path truthFile;
    private Path html;
    private Path jsonFile;
    private RunContext ctx;
    private final List<StoredRow> rows = new ArrayList<>();
    private EvaluateJob.Outcome outcome;

    @BeforeAll
    void runFourDaysAndEvaluate(AdrankStack.Services stack) throws Exception {
        // k and the parent threshold of ResultsIT (suited to this volume)
        settings = stack.newSettings("evaluate", Map.of("rank.prior-strength", String.valueOf((long) K),
                "rank.parent-min-impressions", "200", "input.source", "path"));
        ctx = new RunContext(AdrankConfig.load("local", settings));
        GeneratorSettings generated = GeneratorSettings.builder().seed(11).startDay(START).days(DAYS)
                .hoursPerDay(HOURS).eventsPerHour(30_000).keys(2_000).adServers(2).build();
        EventGenerator.generate(generated, Path.of(ctx.config().input().path()), null);
        for (int d = 0; d < DAYS; d++) {
            for (int h = 0; h < HOURS; h++) {
                HourlyJob.run(ctx, new HourId(START.plusDays(d), h));
            }
            DailyJob.run(ctx, START.plusDays(d));
        }
        new RankRows(ctx.hbase(), ctx.schema()).forEach(rows::add);
        truthFile = Path.of(ctx.config().input().path(), "truth", "keys.tsv");
        Map<String, Truth> truth = TruthFile.read(truthFile,
                ctx.config().key().dimensions(), ctx.config().key().separator());
        long started = System.nanoTime();
        outcome = EvaluateJob.run(ctx, START, START.plusDays(DAYS - 1), truth, Buckets.DEFAULT);
        System.out.printf("evaluate took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        EvaluateReport.table(outcome, System.out);

        // the command line, as a person runs it: the same range with the page, JSON lines and segments of geo
        Path out = Path.of(settings.get("home"));
        html = out.resolve("evaluate.html");
        jsonFile = out.resolve("evaluate.jsonl");
        List<String> args = new ArrayList<>(List.of("evaluate", "--from", START.toString(), "--to",
                START.plusDays(DAYS - 1).toString(), "--truth", truthFile.toString(), "--json", jsonFile.toString(),
                "--html", html.toString(), "--segment-level", "geo", "--segment-top", String.valueOf(SEGMENT_TOP)));
        settings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        started = System.nanoTime();
        assertThat(RankCli.commandLine().execute(args.toArray(new String[0]))).isZero();
        System.out.printf("rank evaluate --html took %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    void close() throws Exception {
        ctx.close();
    }

    @Test
    void keysScoredPerDayAreTheKeysWithHistoryAsOfD() {
        assertThat(outcome.faulty()).isZero();
        assertThat(outcome.scorecard().keysPerDay()).hasSize(DAYS - 1);
        for (int d = 0; d < DAYS - 1; d++) {
            LocalDate day = START.plusDays(d);
            long withHistory = rows.stream()
                    .filter(r -> r.byDay().entries().stream().anyMatch(e -> !e.day().isAfter(day))).count();
            assertThat(outcome.scorecard().keysPerDay().get(day)).as("keys scored as of %s", day)
                    .isEqualTo(withHistory).isPositive();
        }
        assertThat(outcome.keys()).isEqualTo(rows.stream().filter(r -> !r.byDay().isEmpty()).count());
        long newKeys = 0;
        for (int d = 0; d < DAYS - 1; d++) {
            LocalDate day = START.plusDays(d);
            newKeys += rows.stream().filter(r -> r.byDay().entries().stream().noneMatch(e -> !e.day().isAfter(day))
                    && r.byDay().entries().stream().anyMatch(e -> e.day().equals(day.plusDays(1)))).count();
        }
        assertThat(outcome.newKeys()).as("key-days new on D+1, not scored").isEqualTo(newKeys).isPositive();
    }

    /**
     * As of the last folded day, the re-computation is exactly what the daily run of that day stored: same
     * states, same parents (aggregated the same way), same settings.
     */
    @Test
    void asOfTheLastFoldedDayThePredictionsAreTheStoredResults() throws Exception {
        LocalDate last = START.plusDays(DAYS - 1);
        Map<String, StoredRow> byKey = new java.util.HashMap<>();
        rows.forEach(r -> byKey.put(r.key(), r));
        List<Prediction> predictions = EvaluateJob.predictionsAsOf(ctx, last);
        assertThat(predictions).hasSize((int) rows.stream().filter(r -> !r.byDay().isEmpty()).count());
        long withVpc = 0;
        for (Prediction p : predictions) {
            Map<String, String> stored = byKey.get(p.key()).results();
            assertThat(p.cpm()[Prediction.RANK]).as("rank of %s", p.key())
                    .isEqualTo(Double.parseDouble(stored.get("rank")));
            assertThat(p.cpm()[Prediction.PARENT]).as("parent CPM of %s", p.key())
                    .isEqualTo(Double.parseDouble(stored.get("parent_cpm")));
            if (p.vpcLo() != null) {
                withVpc++;
                assertThat(p.vpcLo()).isEqualTo(Double.parseDouble(stored.get("vpc_lo")));
                assertThat(p.vpcHi()).isEqualTo(Double.parseDouble(stored.get("vpc_hi")));
            }
            assertThat(p.realised()).isEqualTo(adrank.udfs.stats.Counters.ZERO); // the day after is not folded
        }
        assertThat(withVpc).isPositive();
    }

    @Test
    void everyPredictorIsScoredOnTheSameKeys() {
        for (Map.Entry<String, Scorecard.Cell> e : outcome.scorecard().cells().entrySet()) {
            Scorecard.Cell c = e.getValue();
            for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
                String what = e.getKey() + " " + Prediction.PREDICTORS.get(i);
                assertThat(c.nextDay(i).keys()).as(what).isEqualTo(c.keys());
                assertThat(c.nextDay(i).impressions()).as(what).isEqualTo(c.nextDay(Prediction.RANK).impressions());
                assertThat(c.nextDay(i).revenueMicros()).as(what).isEqualTo(c.nextDay(Prediction.RANK).revenueMicros());
                assertThat(c.ctr(i).keys()).as(what).isEqualTo(c.keys());
                assertThat(c.ctr(i).trials()).as(what).isEqualTo(c.ctr(Prediction.RANK).trials());
                assertThat(c.cvr(i).keys()).as(what).isEqualTo(c.keys());
                assertThat(c.cvr(i).trials()).as(what).isEqualTo(c.cvr(Prediction.RANK).trials());
                assertThat(c.truth(i).keys()).as(what).isEqualTo(c.truthKeys());
            }
            assertThat(c.truthKeys()).as("every generated key has a truth").isEqualTo(c.keys());
        }
        for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
            assertThat(outcome.scorecard().ordering(i).groups())
                    .isEqualTo(outcome.scorecard().ordering(Prediction.RANK).groups()).isPositive();
        }
    }

    /**
     * With the global segment as the only parent and drift only flagging, the predictions of D = day 2 can be
     * recomputed here from an export of the by-day entries (no parent models, no KeyResults): a key's history as
     * of D = its entries of days 1 and 2 (day 3 and 4 are later); CPM of the parent = Σrev / Σimps of those over
     * every key; raw = the key's CPM (the parent's without impressions); rank = (rev + k·parent/1000) / (imps + k)
     * · 1000 (the parent's without impressions); calibration = Σ pred·imps₃/1000 / Σ rev₃ over the keys with a
     * history as of D.
     */
    @Test
    void calibrationIsPredictedOverRealisedRevenueRecomputedFromAnExport() throws Exception {
        LocalDate d = START.plusDays(1);
        ObjectMapper mapper = new ObjectMapper();
        List<long[]> keys = new ArrayList<>(); // {imps as of D, rev as of D, imps D+1, rev D+1}
        long allImps = 0;
        long allRev = 0;
        for (String line : Export.jsonLines(ctx).split("\n")) {
            JsonNode row = mapper.readTree(line);
            long[] k = new long[4];
            boolean history = false;
            for (JsonNode day : row.get("by_day")) {
                LocalDate date = LocalDate.parse(day.get("day").asText());
                if (!date.isAfter(d)) {
                    history = true;
                    k[0] += day.get("imps").asLong();
                    k[1] += day.get("rev").asLong();
                } else if (date.equals(d.plusDays(1))) {
                    k[2] = day.get("imps").asLong();
                    k[3] = day.get("rev").asLong();
                }
            }
            if (!history) {
                continue;
            }
            keys.add(k);
            allImps += k[0];
            allRev += k[1];
        }
        double parent = (double) allRev / allImps * 1000;
        double[] predicted = new double[3];
        long realised = 0;
        for (long[] k : keys) {
            double raw = k[0] == 0 ? parent : (double) k[1] / k[0] * 1000;
            double rank = k[0] == 0 ? parent : (k[1] + K * parent / 1000) / (k[0] + K) * 1000;
            predicted[Prediction.RANK] += rank * k[2] / 1000;
            predicted[Prediction.RAW] += raw * k[2] / 1000;
            predicted[Prediction.PARENT] += parent * k[2] / 1000;
            realised += k[3];
        }
        try (RunContext global = new RunContext(ctx.config().with("rank.parents", List.of(List.of()))
                .with("rank.drift.weight-factor", 1).with("rank.estimator", "fixed"))) {
            EvaluateJob.Outcome day2 = EvaluateJob.run(global, d, d.plusDays(1), null, Buckets.DEFAULT);
            Scorecard.Cell all = day2.scorecard().cells().get(Scorecard.ALL);
            assertThat(all.keys()).isEqualTo(keys.size());
            for (int i = 0; i < 3; i++) {
                CpmErrors.Result r = all.nextDay(i);
                assertThat(r.revenueMicros()).isEqualTo(realised);
                assertThat(r.calibration()).as(Prediction.PREDICTORS.get(i))
                        .isCloseTo(predicted[i] / realised, within(1e-9 * predicted[i] / realised));
            }
            assertThat(all.truthKeys()).isZero();
        }
    }

    @Test
    void onThinKeysTheRankIsCloserToTheTrueCpmThanTheRawCpm() {
        Scorecard.Cell thin = outcome.scorecard().cells().get("thin");
        double rank = thin.truth(Prediction.RANK).mae();
        double raw = thin.truth(Prediction.RAW).mae();
        System.out.printf("thin keys: %d key-days, MAE vs true CPM rank %.0f, raw %.0f (%.2fx)%n", thin.truthKeys(),
                rank, raw, rank / raw);
        assertThat(thin.truthKeys()).isGreaterThan(200);
        assertThat(rank).as("rank vs raw MAE against the true CPM on thin keys").isLessThan(raw);
    }

    @Test
    void jsonLinesHoldEveryMetric() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        long lines;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            lines = EvaluateReport.jsonLines(outcome, out);
        }
        String[] text = buffer.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(text).hasSize((int) lines);
        assertThat(lines).isEqualTo(outcome.scorecard().metrics().size());
        ObjectMapper mapper = new ObjectMapper();
        boolean found = false;
        for (String line : text) {
            JsonNode json = mapper.readTree(line);
            assertThat(json.fieldNames()).toIterable().containsExactly("from", "to", "scope", "bucket", "predictor",
                    "metric", "value");
            if (json.get("scope").asText().equals("next_day") && json.get("bucket").asText().equals("all")
                    && json.get("predictor").asText().equals("raw") && json.get("metric").asText().equals("rmse_micros")) {
                assertThat(json.get("value").asDouble()).isEqualTo(
                        outcome.scorecard().cells().get("all").nextDay(Prediction.RAW).rmse());
                found = true;
            }
        }
        assertThat(found).isTrue();
    }

    /**
     * {@code --segment-level geo --segment-top 3}: the JSON lines hold the 3 geos with the most D+1 impressions
     * (recomputed here from the stored by-day entries) and the rest as {@code geo (other)}; their key-days and
     * impressions add up to the whole.
     */
    @Test
    void segmentsAreTheLargestGeosByNextDayImpressionsAndTheRest() throws Exception {
        int geo = ctx.config().key().dimensions().indexOf("geo");
        adrank.udfs.key.ParentKeys parentKeys = new adrank.udfs.key.ParentKeys(ctx.config().key().dimensions(),
                ctx.config().key().separator());
        Map<String, Long> impressions = new java.util.TreeMap<>();
        Map<String, Long> keyDays = new java.util.TreeMap<>();
        for (StoredRow r : rows) {
            String g = parentKeys.components(r.key()).get(geo);
            for (int d = 0; d < DAYS - 1; d++) {
                LocalDate day = START.plusDays(d);
                if (r.byDay().entries().stream().noneMatch(e -> !e.day().isAfter(day))) {
                    continue; // no history as of D: not scored
                }
                keyDays.merge(g, 1L, Long::sum);
                r.byDay().entries().stream().filter(e -> e.day().equals(day.plusDays(1)))
                        .forEach(e -> impressions.merge(g, e.counters().imps(), Long::sum));
            }
        }
        List<String> expected = impressions.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(SEGMENT_TOP).map(e -> "geo:" + e.getKey()).toList();
        assertThat(keyDays.size()).as("geos").isGreaterThan(SEGMENT_TOP);

        ObjectMapper mapper = new ObjectMapper();
        Map<String, Long> segmentKeys = new java.util.LinkedHashMap<>();
        Map<String, Long> segmentImps = new java.util.LinkedHashMap<>();
        for (String line : java.nio.file.Files.readAllLines(jsonFile)) {
            JsonNode json = mapper.readTree(line);
            String bucket = json.get("bucket").asText();
            if (!json.get("scope").asText().equals("next_day") || !json.get("predictor").asText().equals("rank")
                    || !(bucket.startsWith("geo:") || bucket.equals("geo (other)"))) {
                continue;
            }
            if (json.get("metric").asText().equals("keys")) {
                segmentKeys.put(bucket, json.get("value").asLong());
            } else if (json.get("metric").asText().equals("impressions")) {
                segmentImps.put(bucket, json.get("value").asLong());
            }
        }
        List<String> reported = new ArrayList<>(expected);
        reported.add("geo (other)");
        assertThat(segmentKeys.keySet()).containsExactlyElementsOf(reported);
        for (String g : expected) {
            String value = g.substring("geo:".length());
            assertThat(segmentKeys.get(g)).as("key-days of %s", g).isEqualTo(keyDays.get(value));
            assertThat(segmentImps.get(g)).as("D+1 impressions of %s", g).isEqualTo(impressions.get(value));
        }
        long allKeyDays = keyDays.values().stream().mapToLong(Long::longValue).sum();
        assertThat(segmentKeys.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(allKeyDays);
        assertThat(segmentImps.values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(impressions.values().stream().mapToLong(Long::longValue).sum());
        assertThat(outcome.scorecard().cells().get(Scorecard.ALL).keys()).isEqualTo(allKeyDays);
    }

    /**
     * The page of {@code rank evaluate --html} in a real headless Chromium (Debian's package): it loads with no
     * console error and no request beyond the file itself (the chart library is inlined); every plot's canvas
     * holds a chart with drawn data and painted pixels; the deciles of the CPM reliability diagram add up to the
     * impressions, predicted and realised revenue of the next-day CPM errors (another accumulator), and the
     * coverage of bucket {@code all} is the scorecard's.
     */
    @Test
    void theHtmlPageRendersEveryPlotInAHeadlessBrowser() throws Exception {
        String page = java.nio.file.Files.readString(html);
        assertThat(page).doesNotContainPattern("(?i)<script[^>]+src=").doesNotContainPattern("(?i)<link[^>]+href=")
                .contains("Chart.js v").contains("$");
        HeadlessChromium.Loaded loaded;
        long started = System.nanoTime();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            loaded = browser.load(html.toUri(), HeadlessChromium.PLOTS_CHECK);
        }
        System.out.printf("chromium: page loaded and checked in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(loaded.errors()).as("console errors and uncaught exceptions").isEmpty();
        assertThat(loaded.requests()).as("requests of the page").allMatch(u -> u.startsWith("file:"));
        JsonNode value = loaded.value();
        List<String> ids = new ArrayList<>();
        for (JsonNode c : value.get("canvases")) {
            String id = c.get("id").asText();
            ids.add(id);
            assertThat(c.get("chart").asBoolean()).as("chart on %s", id).isTrue();
            assertThat(c.get("width").asInt()).as("width of %s", id).isGreaterThan(300);
            assertThat(c.get("height").asInt()).as("height of %s", id).isGreaterThan(200);
            assertThat(c.get("elements").asInt()).as("data drawn on %s", id).isGreaterThan(0);
            assertThat(c.get("painted").asInt()).as("painted pixels of %s", id).isGreaterThan(5_000);
        }
        assertThat(ids).containsExactlyElementsOf(EvaluateHtml.PLOTS_WITH_TRUTH);
        assertThat(value.get("plots").asInt()).isEqualTo(ids.size());

        // the CPM deciles of the rank against the next-day CPM errors of bucket all
        CpmErrors.Result all = outcome.scorecard().cells().get(Scorecard.ALL).nextDay(Prediction.RANK);
        JsonNode rank = value.get("data").get("reliability").get(0).get("series").get(Prediction.RANK);
        assertThat(rank.get("predictor").asText()).isEqualTo("rank");
        long weight = 0;
        double predicted = 0;
        double realised = 0;
        for (JsonNode p : rank.get("points")) {
            weight += p.get("weight").asLong();
            predicted += p.get("x").asDouble() * p.get("weight").asLong() / 1000; // $ CPM × impressions / 1000
            realised += p.get("y").asDouble() * p.get("weight").asLong() / 1000;
        }
        assertThat(rank.get("points").size()).as("deciles").isBetween(5, 10);
        assertThat(weight).isEqualTo(all.impressions());
        assertThat(predicted).isCloseTo(all.predictedRevenue() / 1e6, within(1e-6 * all.predictedRevenue() / 1e6));
        assertThat(realised).isCloseTo(all.revenueMicros() / 1e6, within(1e-6 * all.revenueMicros() / 1e6));
        JsonNode coverage = value.get("data").get("coverage");
        assertThat(coverage.get("buckets").get(0).asText()).isEqualTo("all");
        assertThat(coverage.get("share").get(0).asDouble()).isCloseTo(
                100 * outcome.scorecard().cells().get(Scorecard.ALL).vpcCoverage().share(), within(1e-9));
    }
}
