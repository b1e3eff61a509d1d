package adrank.jobs.pipeline;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.hbase.BoundedWait;
import adrank.loaders.hbase.HBaseUnreachable;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hive.PartitionNotReadyException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a ledger unit (an hour or a day), shared by {@link HourlyJob} and {@link DailyJob}:
 * recorded RUNNING when it starts and once more when it ends, whatever ends it: SUCCEEDED with its
 * counts, or FAILED with one line naming the cause ({@link Failures}), also for the checked
 * {@code SparkException} a failed Spark task surfaces as. An attempt stays RUNNING only if the
 * process died or the ledger itself could not be written (the failure then says so). A failure that
 * says HBase did not answer names the cluster ({@link Failures#describe(Throwable, HBaseConfig)}), and
 * its end record is waited for {@link BoundedWait#AFTER_UNREACHABLE} at most: HBase has just had the
 * whole {@code hbase.unreachable-timeout}.
 *
 * <pre>{@code
 * RunAttempt attempt = RunAttempt.start(ledger, running, "hour " + hour, config.hbase());
 * try {
 *     ...
 *     attempt.succeeded(keysWritten, keysRemoved, note);
 *     return outcome;
 * } catch (Throwable e) {
 *     throw attempt.failed(e);
 * }
 * }</pre>
 */
final class RunAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(RunAttempt.class);

    private final Ledger ledger;
    private final RunRecord running;
    private final String name;
    private final HBaseConfig hbase;
    private long rowsIn;
    private long rowsBad;
    private Map<String, Long> reasons = Map.of();
    private boolean ended;

    private RunAttempt(Ledger ledger, RunRecord running, String name, HBaseConfig hbase) {
        this.ledger = ledger;
        this.running = running;
        this.name = name;
        this.hbase = hbase;
    }

    /**
     * Records the attempt as RUNNING.
     *
     * @param name  what runs, as failure messages start ("hour 2026-04-01 06", "daily 2026-04-01")
     * @param hbase the cluster, named when it is what failed
     */
    static RunAttempt start(Ledger ledger, RunRecord running, String name, HBaseConfig hbase) throws IOException {
        ledger.record(running);
        return new RunAttempt(ledger, running, name, hbase);
    }

    /** What the attempt read: kept in its end record, a failed one included. */
    void read(long in, long bad, Map<String, Long> badReasons) {
        this.rowsIn = in;
        this.rowsBad = bad;
        this.reasons = Map.copyOf(badReasons);
    }

    void succeeded(long keysWritten, long keysRemoved, String note) throws IOException {
        ledger.record(running.finished(RunRecord.SUCCEEDED, elapsedMs(), rowsIn, rowsBad, reasons, keysWritten,
                keysRemoved, note));
        ended = true;
    }

    /**
     * Records the attempt as FAILED and returns what to throw: a {@link RunFailedException} whose
     * message is what the ledger recorded ({@code <name>: <cause>}; a {@code RunFailedException}
     * or a partition that is not ready keeps its own message), with {@code e} as its cause. An
     * {@link Error} is recorded and rethrown as it is.
     */
    RuntimeException failed(Throwable e) {
        if (ended) {
            // its end is recorded already (what failed came after it)
            return e instanceof RuntimeException r ? r
                    : new RunFailedException(name + ": " + Failures.describe(e, hbase), e);
        }
        ended = true;
        RuntimeException thrown;
        if (e instanceof RunFailedException failure) {
            thrown = failure;
        } else if (e instanceof PartitionNotReadyException) {
            thrown = new RunFailedException(e.getMessage(), e);
        } else {
            thrown = new RunFailedException(name + ": " + Failures.describe(e, hbase), e);
        }
        RunRecord end = running.finished(RunRecord.FAILED, elapsedMs(), rowsIn, rowsBad, reasons, 0, 0,
                thrown.getMessage());
        boolean unreachable = HBaseUnreachable.in(e);
        try {
            if (unreachable) {
                BoundedWait.run("ledger-end", BoundedWait.AFTER_UNREACHABLE, () -> ledger.record(end));
            } else {
                ledger.record(end);
            }
        } catch (Throwable notRecorded) {
            LOG.warn("{}: could not record the failure in the ledger", name, notRecorded);
            String why = unreachable
                    // the cause said so already; whether the write is still under way or failed, HBase is the cause
                    ? " (nor could the ledger record it, so it may show the attempt as RUNNING)"
                    : " (the ledger could not record this failure, so it shows the attempt as RUNNING: "
                            + Failures.describe(notRecorded) + ")";
            thrown = new RunFailedException(thrown.getMessage() + why, e);
            e.addSuppressed(notRecorded);
        }
        if (e instanceof Error error) {
            throw error;
        }
        return thrown;
    }

    private long elapsedMs() {
        return Duration.between(running.startedAt(), Instant.now()).toMillis();
    }
}
