package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.Backfill;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.EtlJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.metrics.PushgatewayProcess;
import adrank.udfs.event.RejectReason;
import adrank.udfs.stats.HourId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real Pushgateway ({@code prometheus-pushgateway} on a free loopback port, stopped by its PID)
 * receives the metrics of hourly, daily and publish runs of the real stack; read back over its HTTP
 * API, they equal what the ledger and the snapshot record. A gateway that is down never fails a run.
 */
@ExtendWith(AdrankStack.class)
class MetricsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);
    private static PushgatewayProcess gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = PushgatewayProcess.start(Files.createTempDirectory("metrics-it-pushgateway-"));
    }

    @AfterAll
    static void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static List<String> lines(HourId hour, int n, int malformed) {
        String ts = hour.day() + " " + hour.hr() + ":00:00";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(TestHours.line(ts, i % 8 == 0 ? "click" : "imp", "ad" + (i % 25), i % 3 == 0 ? "US" : "FR",
                    i % 2 == 0 ? "chrome" : "firefox", i % 8 == 0 ? 0 : 1000 + i, 0));
        }
        for (int i = 0; i < malformed; i++) {
            lines.add(i % 2 == 0 ? "too\tfew\tcolumns" : TestHours.line(ts, "imp", "ad1", "US", "chrome", 1, 0)
                    .replace("\t1\t0", "\t1x\t0"));
        }
        return lines;
    }

    private static double epochSeconds(HourId hour) {
        return hour.day().atTime(hour.hour(), 0).toEpochSecond(ZoneOffset.UTC);
    }

    @Test
    void hourlyDailyAndPublishPushWhatTheLedgerAndTheSnapshotRecord(AdrankStack.Services stack) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("metrics.pushgateway", gateway.address(),
                "input.source", "path"));
        try (RunContext ctx = stack.newContext("metrics", settings)) {
            String schema = ctx.config().schema();
            Path data = Path.of(ctx.config().input().path());
            HourId five = new HourId(DAY, 5);
            HourId six = new HourId(DAY, 6);
            TestHours.writeHour(data, DAY.toString(), "05", lines(five, 600, 3));
            TestHours.writeHour(data, DAY.toString(), "06", lines(six, 400, 0));

            HourlyJob.Outcome o5 = HourlyJob.run(ctx, five);
            Map<String, Double> hourly = gateway.group("adrank_hourly", schema);
            RunRecord r5 = ctx.ledger().latest(RunUnit.hour(five)).orElseThrow();
            assertThat(r5.rowsIn()).isEqualTo(603);
            assertThat(r5.badReasons()).isEqualTo(Map.of("column_count", 2L, "bad_number", 1L));
            assertThat(hourly).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_run_rows_in", (double) r5.rowsIn())
                    .containsEntry("adrank_run_rows_quarantined{reason=column_count}", 2.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=bad_number}", 1.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=negative_money}", 0.0)
                    .containsEntry("adrank_run_keys_written", (double) r5.keysWritten())
                    .containsEntry("adrank_run_keys_removed", 0.0)
                    .containsEntry("adrank_run_results_refreshed", (double) o5.results().keys())
                    .containsEntry("adrank_run_faulty_keys", 0.0)
                    .containsEntry("adrank_run_duration_seconds", r5.durationMs() / 1000.0)
                    .containsEntry("adrank_run_unit_timestamp_seconds", epochSeconds(five));
            assertThat(r5.keysWritten()).isEqualTo(o5.keysWritten()).isPositive();
            assertThat(hourly.keySet().stream().filter(k -> k.startsWith("adrank_run_rows_quarantined{")))
                    .hasSize(RejectReason.values().length);
            double firstSuccess = hourly.get("adrank_last_success_timestamp_seconds");
            assertThat(firstSuccess).isEqualTo(hourly.get("adrank_run_end_timestamp_seconds"))
                    .isCloseTo(System.currentTimeMillis() / 1000.0, within(120.0));

            // the next hour replaces the group's values
            HourlyJob.run(ctx, six);
            RunRecord r6 = ctx.ledger().latest(RunUnit.hour(six)).orElseThrow();
            hourly = gateway.group("adrank_hourly", schema);
            assertThat(hourly).containsEntry("adrank_run_rows_in", 400.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=column_count}", 0.0)
                    .containsEntry("adrank_run_keys_written", (double) r6.keysWritten())
                    .containsEntry("adrank_run_unit_timestamp_seconds", epochSeconds(six));
            double lastHourlySuccess = hourly.get("adrank_last_success_timestamp_seconds");
            assertThat(lastHourlySuccess).isGreaterThanOrEqualTo(firstSuccess);

            DailyJob.Outcome fold = DailyJob.run(ctx, DAY);
            RunRecord day = ctx.ledger().latest(RunUnit.day(DAY)).orElseThrow();
            Map<String, Double> daily = gateway.group("adrank_daily", schema);
            assertThat(daily).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_run_keys_written", (double) day.keysWritten())
                    .containsEntry("adrank_run_keys_written", (double) fold.keysChanged())
                    .containsEntry("adrank_run_results_refreshed", (double) fold.results().keys())
                    .containsEntry("adrank_run_duration_seconds", day.durationMs() / 1000.0)
                    .containsEntry("adrank_run_unit_timestamp_seconds", (double) DAY.toEpochSecond(
                            java.time.LocalTime.MIDNIGHT, ZoneOffset.UTC))
                    .doesNotContainKey("adrank_run_rows_in");
            assertThat(fold.keysChanged()).isPositive();

            // a failed hour (partition not ready): success 0, its zeros, and the last success time stays
            HourId seven = new HourId(DAY, 7);
            assertThatThrownBy(() -> HourlyJob.run(ctx, seven)).isInstanceOf(RunFailedException.class);
            assertThat(ctx.ledger().latest(RunUnit.hour(seven)).orElseThrow().status()).isEqualTo(RunRecord.FAILED);
            hourly = gateway.group("adrank_hourly", schema);
            assertThat(hourly).containsEntry("adrank_run_success", 0.0)
                    .containsEntry("adrank_run_rows_in", 0.0)
                    .containsEntry("adrank_run_keys_written", 0.0)
                    .containsEntry("adrank_run_unit_timestamp_seconds", epochSeconds(seven))
                    .containsEntry("adrank_last_success_timestamp_seconds", lastHourlySuccess);
            assertThat(hourly.get("adrank_run_end_timestamp_seconds")).isGreaterThanOrEqualTo(lastHourlySuccess);
            assertThat(gateway.group("adrank_daily", schema)).as("the daily group is its own")
                    .containsEntry("adrank_run_success", 1.0);

            // publish: the version, its verified entries, the verify time
            PublishJob.Outcome published = PublishJob.run(ctx);
            Map<String, Double> publish = gateway.group("adrank_publish", schema);
            assertThat(publish).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_snapshot_version", (double) published.result().version())
                    .containsEntry("adrank_snapshot_entries", (double) published.result().entries().count())
                    .containsEntry("adrank_snapshot_parent_entries", (double) published.result().parents().count())
                    .containsEntry("adrank_publish_verify_seconds", published.result().verifyMillis() / 1000.0);
            assertThat(published.result().entries().count()).isEqualTo(fold.results().keys());
        }
    }

    @Test
    void backfillAndEtlPushTheirOwnGroupsAndTheUnitsOfABackfillPushAsHoursAndDays(AdrankStack.Services stack)
            throws Exception {
        LocalDate day = DAY.plusDays(1);
        try (RunContext ctx = stack.newContext("metrics_bf", Map.of("metrics.pushgateway", gateway.address(),
                "input.source", "path"))) {
            String schema = ctx.config().schema();
            Path data = Path.of(ctx.config().input().path());
            HourId one = new HourId(day, 1);
            HourId two = new HourId(day, 2);
            TestHours.writeHour(data, day.toString(), "01", lines(one, 300, 0));
            TestHours.writeHour(data, day.toString(), "02", lines(two, 200, 2));

            Backfill.Outcome backfill = Backfill.run(ctx, new Backfill.Options(day, day, false, true, false),
                    Backfill.Listener.NONE);
            assertThat(backfill.hoursRun()).isEqualTo(2);
            Map<String, Double> group = gateway.group("adrank_backfill", schema);
            assertThat(group).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_backfill_units_run{kind=hour}", 2.0)
                    .containsEntry("adrank_backfill_units_run{kind=day}", 1.0)
                    .containsEntry("adrank_backfill_units_skipped{kind=hour}", 0.0)
                    .containsEntry("adrank_backfill_units_skipped{kind=day}", 0.0)
                    .containsEntry("adrank_run_rows_in", 502.0);
            // its units pushed as the hourly and daily runs they are: the last hour (its results deferred to the
            // fold: none refreshed), the day (every key with a result refreshed)
            RunRecord last = ctx.ledger().latest(RunUnit.hour(two)).orElseThrow();
            assertThat(last.resultsDeferred()).isTrue();
            assertThat(gateway.group("adrank_hourly", schema)).containsEntry("adrank_run_rows_in", 202.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=column_count}", 1.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=bad_number}", 1.0)
                    .containsEntry("adrank_run_keys_written", (double) last.keysWritten())
                    .containsEntry("adrank_run_results_refreshed", 0.0)
                    .containsEntry("adrank_run_unit_timestamp_seconds", epochSeconds(two));
            assertThat(gateway.group("adrank_daily", schema)).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_run_keys_written",
                            (double) ctx.ledger().latest(RunUnit.day(day)).orElseThrow().keysWritten())
                    .containsEntry("adrank_run_results_refreshed", (double) backfill.keys());
            assertThat(backfill.keys()).isPositive();

            // run again: everything is done, skipped
            Backfill.run(ctx, new Backfill.Options(day, day, false, true, false), Backfill.Listener.NONE);
            assertThat(gateway.group("adrank_backfill", schema))
                    .containsEntry("adrank_backfill_units_run{kind=hour}", 0.0)
                    .containsEntry("adrank_backfill_units_skipped{kind=hour}", 2.0)
                    .containsEntry("adrank_backfill_units_skipped{kind=day}", 1.0);

            EtlJob.Outcome etl = EtlJob.run(ctx, two, "spark");
            assertThat(gateway.group("adrank_etl", schema)).containsEntry("adrank_run_success", 1.0)
                    .containsEntry("adrank_run_rows_in", (double) etl.rowsIn())
                    .containsEntry("adrank_run_rows_in", 202.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=column_count}", 1.0)
                    .containsEntry("adrank_run_rows_quarantined{reason=bad_number}", 1.0)
                    .containsEntry("adrank_run_keys_written", (double) etl.aggKeys())
                    .containsEntry("adrank_run_unit_timestamp_seconds", epochSeconds(two));
            assertThat(etl.aggKeys()).isPositive();
        }
    }

    @Test
    void aPushgatewayThatIsDownNeverFailsTheRun(AdrankStack.Services stack) throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String, String> settings = stack.newSettings("metrics_down", Map.of("metrics.pushgateway",
                "127.0.0.1:" + closed, "input.source", "path"));
        HourId hour = new HourId(DAY, 9);
        TestHours.writeHour(Path.of(AdrankConfig.load("local", settings).input().path()), DAY.toString(), "09",
                lines(hour, 200, 0));
        TestCli.Output out = TestCli.run(settings, "hourly", "--dt", DAY.toString(), "--hr", "09");
        assertThat(out.code()).as(out.err()).isZero();
        assertThat(out.err().lines().filter(l -> l.startsWith("rank ")).toList()).singleElement().asString()
                .startsWith("rank hourly: " + hour + " SUCCEEDED: 200 rows in");
        try (RunContext ctx = new RunContext(AdrankConfig.load("local", settings))) {
            assertThat(ctx.ledger().latest(RunUnit.hour(hour)).orElseThrow().succeeded()).isTrue();
        }
        assertThat(gateway.group("adrank_hourly", settings.get("schema"))).isEmpty();
    }
}
