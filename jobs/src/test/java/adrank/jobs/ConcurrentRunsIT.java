package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionState;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs whose clocks disagree, whose lease is taken over, and publishes that meet a run or each
 * other: the state and the ledger stay exact, because write order comes from HBase (write
 * versions) and every commit is fenced by the writer lock.
 */
@ExtendWith(AdrankStack.class)
class ConcurrentRunsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 2, 1);
    private static final HourId HOUR = new HourId(DAY, 0);

    /** The hour as first delivered: ad1 and ad2. */
    private static final List<String> FIRST = List.of(
            TestHours.line("2026-02-01 00:01:00", "imp", "ad1", "US", "chrome", 1500, 0),
            TestHours.line("2026-02-01 00:02:00", "imp", "ad1", "US", "chrome", 1500, 0),
            TestHours.line("2026-02-01 00:03:00", "click", "ad1", "US", "chrome", 0, 0),
            TestHours.line("2026-02-01 00:04:00", "imp", "ad2", "MX", "safari", 900, 0));
    /** The hour as re-delivered: ad1 with other counts, ad2 gone, ad3 new. */
    private static final List<String> REPLACED = List.of(
            TestHours.line("2026-02-01 00:01:00", "imp", "ad1", "US", "chrome", 2000, 0),
            TestHours.line("2026-02-01 00:05:00", "imp", "ad3", "BR", "firefox", 700, 0),
            TestHours.line("2026-02-01 00:06:00", "click", "ad3", "BR", "firefox", 0, 0),
            TestHours.line("2026-02-01 00:07:00", "conv", "ad3", "BR", "firefox", 0, 4_000_000));

    @Test
    void aReRunWhoseClocksAreTwoHoursBehindReplacesTheFirstRun(AdrankStack.Services stack) throws Exception {
        String clean = cleanState(stack);
        try (RunContext onTime = stack.newContext("behind", Map.of())) {
            TestHours.writeHour(input(onTime), "2026-02-01", "00", FIRST);
            HourlyJob.Outcome first = HourlyJob.run(onTime, HOUR);

            // the re-run's driver clock is 2 h behind, and HBase's clock was stepped back 2 h too
            TestHours.writeHour(input(onTime), "2026-02-01", "00", REPLACED);
            Clock behind = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
            try (RunContext late = new RunContext(onTime.config(), behind, Duration.ofHours(-2))) {
                HourlyJob.Outcome rerun = HourlyJob.run(late, HOUR);
                assertThat(rerun.keysRemoved()).isEqualTo(1); // ad2's cell, really gone below
                DailyJob.run(late, DAY);
                assertThat(state(late)).isEqualTo(clean);

                List<RunRecord> attempts = late.ledger().attempts(RunUnit.hour(HOUR));
                assertThat(attempts).extracting(RunRecord::runId).containsExactly(first.runId(), rerun.runId());
                RunRecord latest = late.ledger().latestPerUnit(DAY).stream()
                        .filter(r -> r.unit().equals(RunUnit.hour(HOUR))).findFirst().orElseThrow();
                assertThat(latest.runId()).isEqualTo(rerun.runId());
                // the driver's clock says the re-run started first; the ledger orders by write version
                assertThat(latest.startedAt()).isBefore(attempts.get(0).startedAt());
                assertThat(latest.writeVersion()).isGreaterThan(attempts.get(0).writeVersion());
            }
        }
    }

    @Test
    void aRunWhoseLeaseWasTakenOverNeverCommits(AdrankStack.Services stack) throws Exception {
        String clean = cleanState(stack);
        try (RunContext slow = stack.newContext("lease", Map.of())) {
            TestHours.writeHour(input(slow), "2026-02-01", "00", FIRST);
            // the slow run writes its hour cells, then stalls before its results
            Stall stall = Stall.at(slow, "results");
            CompletableFuture<HourlyJob.Outcome> slowRun = CompletableFuture.supplyAsync(() -> call(
                    () -> HourlyJob.run(slow, HOUR)));
            assertThat(stall.reached()).isTrue();

            // meanwhile the hour is re-delivered, and a run that sees the slow run's lease as expired
            // (HBase's clock, as it sees it, is past the lease) takes the lock over and runs it
            TestHours.writeHour(input(slow), "2026-02-01", "00", REPLACED);
            Duration pastTheLease = slow.config().hbase().writerLease().plusMinutes(1);
            try (RunContext taker = new RunContext(slow.config(), Clock.systemUTC(), pastTheLease)) {
                HourlyJob.Outcome taken = HourlyJob.run(taker, HOUR);
                // the slow run's attempt is already recorded as ended, not left RUNNING
                List<RunRecord> attempts = taker.ledger().attempts(RunUnit.hour(HOUR));
                assertThat(attempts).hasSize(2);
                assertThat(attempts.get(0).status()).isEqualTo(RunRecord.FAILED);
                assertThat(attempts.get(0).message()).contains("ended without recording how")
                        .contains("took the writer lock over");
                assertThat(attempts.get(1).runId()).isEqualTo(taken.runId());

                stall.resume();
                assertThatThrownBy(slowRun::join).hasRootCauseInstanceOf(adrank.loaders.hbase.LeaseLostException.class)
                        .hasMessageContaining("was taken over while hourly " + HOUR);
                attempts = taker.ledger().attempts(RunUnit.hour(HOUR));
                assertThat(attempts).extracting(RunRecord::status).containsExactly(RunRecord.FAILED,
                        RunRecord.SUCCEEDED);
                assertThat(attempts.get(0).message()).contains("lease of").contains("was not renewed in time");
                assertThat(taker.ledger().latest(RunUnit.hour(HOUR)).orElseThrow().runId()).isEqualTo(taken.runId());

                DailyJob.run(taker, DAY);
                assertThat(state(taker)).isEqualTo(clean);
            }
        }
    }

    @Test
    void aPublishWaitsForARunningHourlyAndServesExactlyItsResults(AdrankStack.Services stack) throws Exception {
        // the full result stage, so that the stall falls between the hour's cells and every key's new result
        // (incremental results are written with the cells; the wait for the lock is the same)
        try (RunContext hourly = stack.newContext("pubwait", Map.of("publish.lock-wait", "3m",
                "rank.hourly-results", "full"));
                RunContext publish = new RunContext(hourly.config())) {
            TestHours.writeHour(input(hourly), "2026-02-01", "00", FIRST);
            HourlyJob.run(hourly, HOUR);
            TestHours.writeHour(input(hourly), "2026-02-01", "01", REPLACED);

            Stall halfWritten = Stall.at(hourly, "results"); // the cells are written, the results not yet
            CompletableFuture<HourlyJob.Outcome> second = CompletableFuture.supplyAsync(() -> call(
                    () -> HourlyJob.run(hourly, new HourId(DAY, 1))));
            assertThat(halfWritten.reached()).isTrue();
            CompletableFuture<PublishJob.Outcome> published = CompletableFuture.supplyAsync(() -> call(
                    () -> PublishJob.run(publish)));
            Thread.sleep(3000);
            assertThat(published).as("the publish waits for the run that holds the lock").isNotDone();
            halfWritten.resume();
            String runId = second.get(3, TimeUnit.MINUTES).runId();
            PublishJob.Outcome outcome = published.get(3, TimeUnit.MINUTES);

            List<StoredRow> rows = new ArrayList<>();
            new RankRows(hourly.hbase(), hourly.schema()).forEach(rows::add);
            assertThat(rows).extracting(r -> r.results().get("run_id")).containsOnly(runId);
            assertThat(outcome.result().entries().count()).isEqualTo(rows.size());
            try (RankReader reader = RankReader.connect(hourly.config().hazelcast(), hourly.config().reader(),
                    hourly.config().key(), hourly.config().schema())) {
                for (StoredRow row : rows) {
                    Lookup lookup = reader.lookup(row.key(), "unit-1");
                    assertThat(lookup.version()).isEqualTo(outcome.result().version());
                    assertThat(lookup.entry().rank()).as(row.key())
                            .isEqualTo(Double.parseDouble(row.results().get("rank")));
                    assertThat(lookup.entry().weight()).as(row.key())
                            .isEqualTo(Double.parseDouble(row.results().get("weight")));
                }
            }
        }
    }

    @Test
    void ofTwoPublishesAtOnceTheSecondFailsAtOnceAndTheFirstIsIntact(AdrankStack.Services stack) throws Exception {
        try (RunContext first = stack.newContext("pubpub", Map.of("publish.lock-wait", "3m"));
                RunContext second = new RunContext(first.config())) {
            TestHours.writeHour(input(first), "2026-02-01", "00", FIRST);
            HourlyJob.run(first, HOUR);

            Stall loaded = Stall.at(first, "commit"); // every entry loaded, the version not yet active
            CompletableFuture<PublishJob.Outcome> winner = CompletableFuture.supplyAsync(() -> call(
                    () -> PublishJob.run(first)));
            assertThat(loaded.reached()).isTrue();

            long start = System.nanoTime();
            assertThatThrownBy(() -> PublishJob.run(second)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is being published by publish " + first.config().schema())
                    .hasMessageContaining("Two publishes of one schema must not overlap");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

            loaded.resume();
            PublishJob.Outcome won = winner.get(3, TimeUnit.MINUTES);
            assertThat(won.result().version()).isEqualTo(1);
            assertThat(won.result().entries().count()).isEqualTo(2);
            VersionControl control = new SnapshotPublisher(first.hazelcast(), first.config().publish(),
                    first.config().key().dimensions()).control(first.config().schema());
            assertThat(control.active()).isEqualTo(1);
            assertThat(control.version(1).orElseThrow().state()).isEqualTo(VersionState.READY);
            // the loser never created a version
            assertThat(control.version(2)).isEmpty();
        }
    }

    /** The state of a clean run of the replaced hour and its fold, in a schema of its own. */
    private static String cleanState(AdrankStack.Services stack) throws Exception {
        try (RunContext clean = stack.newContext("clean", Map.of())) {
            TestHours.writeHour(input(clean), "2026-02-01", "00", REPLACED);
            HourlyJob.run(clean, HOUR);
            DailyJob.run(clean, DAY);
            String state = state(clean);
            assertThat(state).contains("ad1|US|").contains("ad3|BR|").doesNotContain("ad2|MX|");
            return state;
        }
    }

    /** Every stored number: the export (state and results) and every hour cell. */
    private static String state(RunContext ctx) throws Exception {
        StringBuilder out = new StringBuilder(Export.jsonLines(ctx));
        try (Table table = ctx.hbase().getTable(ctx.schema().ranks());
                ResultScanner scanner = table.getScanner(new Scan().addFamily(RankSchema.HOURS))) {
            for (Result row : scanner) {
                for (Cell cell : row.rawCells()) {
                    out.append(Bytes.toString(row.getRow())).append(' ')
                            .append(Bytes.toString(CellUtil.cloneQualifier(cell))).append('=')
                            .append(Bytes.toString(CellUtil.cloneValue(cell))).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static Path input(RunContext ctx) {
        return Path.of(ctx.config().input().path());
    }

    /** Holds a context's run when it enters a phase, until the test resumes it. */
    private static final class Stall {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch resume = new CountDownLatch(1);

        static Stall at(RunContext ctx, String phase) {
            Stall stall = new Stall();
            ctx.onPhase((run, entered) -> {
                if (entered.equals(phase)) {
                    stall.reached.countDown();
                    stall.hold();
                }
            });
            return stall;
        }

        /** Whether the run reached the phase within two minutes. */
        boolean reached() throws InterruptedException {
            return reached.await(2, TimeUnit.MINUTES);
        }

        void resume() {
            resume.countDown();
        }

        private void hold() {
            try {
                if (!resume.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never resumed the run");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private interface Job<T> {
        T run() throws Exception;
    }

    private static <T> T call(Job<T> job) {
        try {
            return job.run();
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
