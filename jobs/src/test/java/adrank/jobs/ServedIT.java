package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.EvaluateJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.eval.TruthFile;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.ServedRecord;
import adrank.loaders.hbase.StoredRow;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.Scorecard;
import adrank.udfs.eval.Truth;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.HourId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The served record and {@code rank evaluate --source served}: every publish records, per key, what the activated
 * version serves on the publish's day; a second publish the same day overwrites it; scoring the record of D+1
 * (published right after the daily run of D) gives the metrics of the re-computation as of D.
 */
@ExtendWith(AdrankStack.class)
class ServedIT {

    private static final LocalDate START = LocalDate.of(2026, 7, 1);
    private static final int DAYS = 4;

    private static Double number(String text) {
        return text == null || text.isEmpty() ? null : Double.parseDouble(text);
    }

    /** A publish on {@code day} at {@code hour}:00 UTC on the driver's clock. */
    private static PublishJob.Outcome publishOn(AdrankConfig config, LocalDate day, int hour) throws Exception {
        Clock clock = Clock.fixed(day.atTime(hour, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (RunContext at = new RunContext(config, clock, Duration.ZERO)) {
            return PublishJob.run(at);
        }
    }

    private static Map<String, NavigableMap<LocalDate, ServedRecord.Served>> served(RunContext ctx) throws Exception {
        Map<String, NavigableMap<LocalDate, ServedRecord.Served>> out = new HashMap<>();
        try (Table table = ctx.hbase().getTable(ServedRecord.table(ctx.schema()));
             ResultScanner scanner = table.getScanner(new Scan())) {
            for (Result r : scanner) {
                out.put(Bytes.toString(r.getRow()), ServedRecord.decode(r));
            }
        }
        return out;
    }

    /** The served cells of {@code day} are the stored results (and counters) of every key with a result. */
    private static void assertServedAreTheResults(RunContext ctx, LocalDate day, int version) throws Exception {
        Map<String, NavigableMap<LocalDate, ServedRecord.Served>> served = served(ctx);
        List<StoredRow> rows = new ArrayList<>();
        new RankRows(ctx.hbase(), ctx.schema()).forEach(rows::add);
        int withResult = 0;
        for (StoredRow row : rows) {
            Map<String, String> r = row.results();
            if (r.get("rank") == null || r.get("rank").isEmpty()) {
                continue;
            }
            withResult++;
            ServedRecord.Served s = served.get(row.key()).get(day);
            assertThat(s).as("served %s on %s", row.key(), day).isNotNull();
            assertThat(s.version()).isEqualTo(version);
            assertThat(s.rank()).isEqualTo(number(r.get("rank")));
            assertThat(s.weight()).isEqualTo(number(r.get("weight")));
            assertThat(s.cpm()).isEqualTo(number(r.get("cpm")));
            assertThat(s.parentCpm()).isEqualTo(number(r.get("parent_cpm")));
            assertThat(s.vpcMean()).isEqualTo(number(r.get("vpc_mean")));
            assertThat(s.vpcLo()).isEqualTo(number(r.get("vpc_lo")));
            assertThat(s.vpcHi()).isEqualTo(number(r.get("vpc_hi")));
            assertThat(s.history()).isEqualTo(row.open().sum().plus(row.total() == null ? Counters.ZERO
                    : row.total().counters()));
        }
        assertThat(withResult).isPositive();
        assertThat(served.values().stream().filter(m -> m.containsKey(day)).count()).isEqualTo(withResult);
    }

    @Test
    void servedPredictionsAreRecordedPerDayAndScoredAgainstTheNextDay(AdrankStack.Services stack) throws Exception {
        Map<String, String> settings = stack.newSettings("served", Map.of("input.source", "path",
                "rank.parent-min-impressions", "200", "rank.prior-strength", "300"));
        AdrankConfig config = AdrankConfig.load("local", settings);
        try (RunContext ctx = new RunContext(config)) {
            EventGenerator.generate(GeneratorSettings.builder().seed(5).startDay(START).days(DAYS).hoursPerDay(1)
                    .eventsPerHour(15_000).keys(800).adServers(1).build(), Path.of(config.input().path()), null);
            int version = 0;
            for (int d = 0; d < DAYS; d++) {
                LocalDate day = START.plusDays(d);
                HourlyJob.run(ctx, new HourId(day, 0));
                if (d == DAYS - 1) {
                    // a second publish on the day of the last: after this hour, overwriting that day's record
                    PublishJob.Outcome again = publishOn(config, day, 18);
                    assertThat(again.result().version()).isEqualTo(++version);
                    assertServedAreTheResults(ctx, day, version);
                }
                DailyJob.run(ctx, day);
                if (d < DAYS - 1) {
                    // published after the daily run of D, on the morning of D+1: served on D+1
                    PublishJob.Outcome published = publishOn(config, day.plusDays(1), 6);
                    assertThat(published.result().version()).isEqualTo(++version);
                    assertThat(published.served()).isEqualTo(published.result().entries().count()).isPositive();
                    assertServedAreTheResults(ctx, day.plusDays(1), version);
                }
            }
            Map<String, NavigableMap<LocalDate, ServedRecord.Served>> served = served(ctx);
            assertThat(served.values().stream().filter(m -> m.containsKey(START.plusDays(DAYS - 1)))
                    .allMatch(m -> m.get(START.plusDays(DAYS - 1)).version() == DAYS)).isTrue();

            // D = days 1 and 2: the record of days 2 and 3 (published right after their daily runs) is what the
            // re-computation as of D gives, so every CPM metric and the VPC coverage agree
            Path truthFile = Path.of(config.input().path(), "truth", "keys.tsv");
            Map<String, Truth> truth = TruthFile.read(truthFile, config.key().dimensions(), config.key().separator());
            LocalDate to = START.plusDays(2);
            EvaluateJob.Outcome fromRecord = EvaluateJob.run(ctx, START, to, truth, Buckets.DEFAULT, null, 0,
                    EvaluateJob.Source.SERVED);
            EvaluateJob.Outcome recomputed = EvaluateJob.run(ctx, START, to, truth, Buckets.DEFAULT, null, 0,
                    EvaluateJob.Source.RECOMPUTE);
            assertThat(fromRecord.source()).isEqualTo(EvaluateJob.Source.SERVED);
            assertThat(fromRecord.faulty()).isZero();
            assertThat(fromRecord.newKeys()).as("key-days with history but nothing served").isZero();
            assertThat(fromRecord.scorecard().keysPerDay()).isEqualTo(recomputed.scorecard().keysPerDay());
            Map<String, Scorecard.Cell> a = fromRecord.scorecard().cells();
            Map<String, Scorecard.Cell> b = recomputed.scorecard().cells();
            assertThat(a.keySet()).isEqualTo(b.keySet());
            for (String bucket : a.keySet()) {
                for (int i = 0; i < Prediction.PREDICTORS.size(); i++) {
                    String what = bucket + " " + Prediction.PREDICTORS.get(i);
                    for (boolean next : new boolean[] {true, false}) {
                        CpmErrors.Result x = next ? a.get(bucket).nextDay(i) : a.get(bucket).truth(i);
                        CpmErrors.Result y = next ? b.get(bucket).nextDay(i) : b.get(bucket).truth(i);
                        assertThat(x.keys()).as(what).isEqualTo(y.keys());
                        assertThat(x.impressions()).as(what).isEqualTo(y.impressions());
                        assertThat(x.revenueMicros()).as(what).isEqualTo(y.revenueMicros());
                        if (y.rmse() != null) {
                            assertThat(x.mae()).as(what).isCloseTo(y.mae(), within(1e-9 * (1 + y.mae())));
                            assertThat(x.rmse()).as(what).isCloseTo(y.rmse(), within(1e-9 * (1 + y.rmse())));
                        }
                        if (y.calibration() != null) {
                            assertThat(x.calibration()).as(what).isCloseTo(y.calibration(), within(1e-9));
                        }
                    }
                }
                assertThat(a.get(bucket).vpcCoverage()).as(bucket).isEqualTo(b.get(bucket).vpcCoverage());
                // a snapshot holds no CTR or CVR: not scored from the record
                assertThat(a.get(bucket).ctr(Prediction.RANK).keys()).isZero();
            }
            assertThat(a.get(Scorecard.ALL).keys()).isGreaterThan(500);

            // the command line, with a page: the served record and no CTR/CVR plots
            Path html = Path.of(settings.get("home"), "served.html");
            List<String> args = new ArrayList<>(List.of("evaluate", "--source", "served", "--from", START.toString(),
                    "--to", to.toString(), "--html", html.toString()));
            settings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
            assertThat(RankCli.commandLine().execute(args.toArray(new String[0]))).isZero();
            assertThat(Files.readString(html)).contains("predictions served on D+1")
                    .contains("data-plot=\"reliability-cpm\"").doesNotContain("data-plot=\"reliability-ctr\"");
        }
    }
}
