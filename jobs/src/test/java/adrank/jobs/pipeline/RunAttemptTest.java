package adrank.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.hbase.BoundedWait;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hive.PartitionNotReadyException;
import adrank.udfs.spark.InputFileException;
import adrank.udfs.stats.HourId;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.OperationTimeoutExceededException;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/** Every attempt records how it ended, whatever ends it (no HBase: the ledger's puts are captured). */
class RunAttemptTest {

    private static final HourId HOUR = new HourId(LocalDate.of(2026, 5, 1), 6);
    private static final HBaseConfig HBASE = new HBaseConfig("127.0.0.1", 21810, "/hbase", "adrank", 8, 1000, 1000, 1, 4,
            5, Duration.ofSeconds(60), Duration.ofMinutes(2), Map.of());
    private static final String FILE = "file:///data/t_raw_events/dt=2026-05-01/hr=06/adserver-01.tsv.gz";

    /** What a fake table does with a put (the ledger only puts). */
    private interface PutHandler {
        void put(Put put) throws Exception;
    }

    /** A ledger on a table that hands every put to {@code onPut}. */
    private static Ledger ledgerOn(PutHandler onPut) {
        Table table = (Table) Proxy.newProxyInstance(Table.class.getClassLoader(), new Class<?>[] {Table.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("put")) {
                        onPut.put((Put) args[0]);
                    }
                    return null;
                });
        Connection connection = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> method.getName().equals("getTable")
                        ? table : null);
        return new Ledger(connection, new RankSchema("adrank_test"));
    }

    /** A ledger whose puts land in {@code puts}; the put number {@code failAt} (1-based) fails like a lost HBase. */
    private static Ledger ledger(List<Put> puts, int failAt) {
        return ledgerOn(put -> {
            if (puts.size() + 1 == failAt) {
                throw new IOException("Failed after attempts=5, exceptions: connection refused by rs1:16020");
            }
            puts.add(put);
        });
    }

    private static String field(Put put, String name) {
        return Bytes.toString(CellUtil.cloneValue(put.get(RankSchema.LEDGER, Bytes.toBytes(name)).get(0)));
    }

    private static RunRecord running() {
        Instant start = Instant.now();
        return new RunRecord(RunUnit.hour(HOUR), "run1", RunRecord.RUNNING, start, 0, 0, 0, Map.of(), 0, 0,
                start.toEpochMilli(), "/data/t_raw_events/dt=2026-05-01/hr=06", null);
    }

    /** An attempt recorded RUNNING (the ledger's first put), outside any lock. */
    private static RunAttempt attempt(Ledger ledger, String name) throws IOException {
        RunRecord running = running();
        ledger.record(running);
        return new RunAttempt(ledger, running, name, Clock.systemUTC(), phase -> { }, HBASE);
    }

    /** What a truncated gzip file reaches the driver as: a checked SparkException, thrown undeclared. */
    private static SparkException taskFailure() {
        return new SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times, most recent "
                + "failure: Lost task 0.0 in stage 3.0 (TID 3) (host executor driver): adrank.udfs.spark."
                + "InputFileException: cannot read " + FILE + "\n\tat adrank.udfs.spark.ParseAndCombine.call\n"
                + "Driver stacktrace:\n\tat org.apache.spark.scheduler.DAGScheduler",
                new InputFileException(FILE, new EOFException("Unexpected end of input stream")));
    }

    @Test
    void aSparkTaskFailureIsRecordedFailedWithTheFileAndTheRootCause() throws Exception {
        List<Put> puts = new ArrayList<>();
        RunAttempt attempt = attempt(ledger(puts, 0), "hour " + HOUR);
        attempt.read(3000, 2, Map.of("bad_number", 2L));
        RuntimeException thrown = attempt.failed(taskFailure());
        String expected = "hour 2026-05-01 06: cannot read " + FILE + ": java.io.EOFException: Unexpected end of "
                + "input stream";
        assertThat(thrown).isInstanceOf(RunFailedException.class).hasMessage(expected)
                .hasCauseInstanceOf(SparkException.class);
        assertThat(puts).hasSize(2);
        assertThat(field(puts.get(0), "status")).isEqualTo(RunRecord.RUNNING);
        assertThat(field(puts.get(1), "status")).isEqualTo(RunRecord.FAILED);
        assertThat(field(puts.get(1), "message")).isEqualTo(expected);
        assertThat(field(puts.get(1), "rows_in")).isEqualTo("3000");
        // a second end is not recorded again
        attempt.failed(new IllegalStateException("later"));
        assertThat(puts).hasSize(2);
    }

    @Test
    void anHourWithDeferredResultsIsRecordedSoOnlyWhenItSucceeds() throws Exception {
        List<Put> puts = new ArrayList<>();
        RunAttempt deferred = attempt(ledger(puts, 0), "hour " + HOUR);
        deferred.resultsDeferred();
        deferred.succeeded(40, 0, "results deferred to the fold of 2026-05-01");
        RunAttempt refreshed = attempt(ledger(puts, 0), "hour " + HOUR);
        refreshed.results(1200, 0);
        refreshed.succeeded(40, 0, null);
        // RUNNING never says deferred (a killed attempt is just FAILED on takeover); the successful end does
        assertThat(puts).extracting(p -> field(p, "status") + " " + field(p, "results")).containsExactly(
                "RUNNING ", "SUCCEEDED deferred", "RUNNING ", "SUCCEEDED ");
    }

    @Test
    void ownFailuresKeepTheirMessageAndErrorsAreRecordedAndRethrown() throws Exception {
        List<Put> puts = new ArrayList<>();
        RunFailedException guard = new RunFailedException("hour 2026-05-01 06: 6 of 26 rows are malformed");
        assertThat(attempt(ledger(puts, 0), "hour " + HOUR).failed(guard)).isSameAs(guard);
        assertThat(attempt(ledger(puts, 0), "hour " + HOUR)
                .failed(new PartitionNotReadyException("partition t_raw_events dt=2026-05-01 hr=06 is not ready")))
                .isInstanceOf(RunFailedException.class)
                .hasMessage("partition t_raw_events dt=2026-05-01 hr=06 is not ready");
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        RunAttempt attempt = attempt(ledger(puts, 0), "hour " + HOUR);
        assertThatThrownBy(() -> attempt.failed(oom)).isSameAs(oom);
        assertThat(puts).extracting(p -> field(p, "status")).containsExactly(RunRecord.RUNNING, RunRecord.FAILED,
                RunRecord.RUNNING, RunRecord.FAILED, RunRecord.RUNNING, RunRecord.FAILED);
        assertThat(field(puts.get(5), "message")).isEqualTo("hour 2026-05-01 06: java.lang.OutOfMemoryError: "
                + "Java heap space");
    }

    @Test
    void aFailureTheLedgerCannotRecordSaysSo() throws Exception {
        List<Put> puts = new ArrayList<>();
        RunAttempt attempt = attempt(ledger(puts, 2), "daily 2026-05-01");
        RuntimeException thrown = attempt.failed(taskFailure());
        assertThat(thrown).isInstanceOf(RunFailedException.class)
                .hasMessageStartingWith("daily 2026-05-01: cannot read " + FILE)
                .hasMessageEndingWith("(the ledger could not record this failure, so it shows the attempt as "
                        + "RUNNING until the next run of the schema takes the lock over: java.io.IOException: Failed after attempts=5, exceptions: connection refused by "
                        + "rs1:16020)");
        assertThat(puts).hasSize(1);
    }

    /** A ledger whose first put lands and whose later puts never answer (HBase gone). */
    private static Ledger ledgerThatStopsAnswering(List<Put> puts) {
        return ledgerOn(put -> {
            if (!puts.isEmpty()) {
                Thread.sleep(Long.MAX_VALUE);
            }
            puts.add(put);
        });
    }

    @Test
    void hbaseUnreachableIsNamedAndItsEndRecordIsNotWaitedForLong() throws Exception {
        List<Put> puts = new ArrayList<>();
        RunAttempt attempt = attempt(ledgerThatStopsAnswering(puts), "hour " + HOUR);
        SparkException lost = new SparkException("Job aborted due to stage failure: Task 0 in stage 20.0 failed 1 "
                + "times, most recent failure: ...", new OperationTimeoutExceededException("a batch of 453 operations "
                + "on adrank_x:ranks timed out locating its regions (HBASE-27781: thrown as an AssertionError)"));
        long start = System.nanoTime();
        RuntimeException thrown = attempt.failed(lost);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(thrown).isInstanceOf(RunFailedException.class).hasMessage("hour 2026-05-01 06: HBase unreachable "
                + "(ZooKeeper 127.0.0.1:21810, hbase.unreachable-timeout = 60s): org.apache.hadoop.hbase.client."
                + "OperationTimeoutExceededException: a batch of 453 operations on adrank_x:ranks timed out locating "
                + "its regions (HBASE-27781: thrown as an AssertionError) (nor could the ledger record it; the next run "
                + "of the schema records the attempt as FAILED)");
        assertThat(waitedMs).isBetween(BoundedWait.AFTER_UNREACHABLE.toMillis() - 100,
                BoundedWait.AFTER_UNREACHABLE.toMillis() + 3_000);
        assertThat(puts).hasSize(1);
    }
}
