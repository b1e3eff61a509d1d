package adrank.jobs.pipeline;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.hbase.BoundedWait;
import adrank.loaders.hbase.HBaseUnreachable;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.WriterLock;
import adrank.loaders.hive.PartitionNotReadyException;
import adrank.loaders.metrics.Metric;
import adrank.loaders.metrics.RunMetrics;
import adrank.loaders.metrics.RunMetricsPusher;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a ledger unit (an hour or a day), shared by {@link HourlyJob} and {@link DailyJob},
 * inside a held {@link SchemaLock}: it takes the next write version from the lock (naming itself
 * there), is recorded RUNNING, checks at every phase that its lease is still held, and commits
 * fenced: SUCCEEDED is recorded only after the lock confirmed the attempt's version is still the
 * holder's. Whatever ends it otherwise is recorded FAILED with one line naming the cause
 * ({@link Failures}), also the checked {@code SparkException} a failed Spark task surfaces as, and
 * a lost lease. An attempt stays RUNNING only if the process died or the ledger could not be
 * written; the next run that takes the lock over records it FAILED. A failure that says HBase
 * did not answer names the cluster ({@link Failures#describe(Throwable, HBaseConfig)}), and its
 * end record is waited for {@link BoundedWait#AFTER_UNREACHABLE} at most: HBase has just had the
 * whole {@code hbase.unreachable-timeout}.
 *
 * <p>Once its end is recorded, an attempt pushes its metrics ({@code metrics.pushgateway}; job
 * {@code adrank_hourly} or {@code adrank_daily}, the schema as grouping key): the ledger's numbers,
 * plus the results refreshed and the faulty keys (0 for an hour whose results were deferred to the
 * fold). A push that fails is a warning, never a failure.
 *
 * <pre>{@code
 * RunAttempt attempt = RunAttempt.start(ctx, lock, unit, "hour " + hour, input);
 * try {
 *     attempt.phase("aggregate+write");
 *     ... write with attempt.version() ...
 *     attempt.succeeded(keysWritten, keysRemoved, note);
 *     return outcome;
 * } catch (Throwable e) {
 *     throw attempt.failed(e);
 * }
 * }</pre>
 */
final class RunAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(RunAttempt.class);

    /** What entering a phase checks: that the run still holds its lease. */
    @FunctionalInterface
    interface Fence {
        void enter(String phase) throws IOException;
    }

    private final Ledger ledger;
    private final RunRecord running;
    private final String name;
    private final Clock clock;
    private final Fence fence;
    private final HBaseConfig hbase;
    private long rowsIn;
    private long rowsBad;
    private Map<String, Long> reasons = Map.of();
    private long resultsRefreshed;
    private long faultyKeys;
    private boolean resultsDeferred;
    private boolean ended;
    private RunMetricsPusher metrics;
    private String schema;

    /** An attempt already recorded RUNNING in {@code ledger}. */
    RunAttempt(Ledger ledger, RunRecord running, String name, Clock clock, Fence fence, HBaseConfig hbase) {
        this.hbase = hbase;
        this.ledger = ledger;
        this.running = running;
        this.name = name;
        this.clock = clock;
        this.fence = fence;
    }

    /**
     * Takes the attempt's write version and records it RUNNING.
     *
     * @param name  what runs, as failure messages start ("hour 2026-04-01 06", "daily 2026-04-01")
     * @param input what it reads (a partition location) or folds
     */
    static RunAttempt start(RunContext ctx, WriterLock.Held lock, RunUnit unit, String name, String input)
            throws IOException {
        Instant start = ctx.clock().instant();
        long version = lock.nextVersion(v -> Ledger.rowKey(unit, Ledger.runId(v)));
        RunRecord running = new RunRecord(unit, Ledger.runId(version), RunRecord.RUNNING, start, 0, 0, 0, Map.of(), 0,
                0, version, input, null);
        Ledger ledger = ctx.ledger();
        ledger.record(running);
        RunAttempt attempt = new RunAttempt(ledger, running, name, ctx.clock(), phase -> {
            ctx.phaseListener().entering(name, phase);
            lock.requireHeld();
        }, ctx.config().hbase());
        attempt.metrics = ctx.metrics();
        attempt.schema = ctx.config().schema();
        return attempt;
    }

    /** The version every cell of this attempt is written with. */
    long version() {
        return running.writeVersion();
    }

    String runId() {
        return running.runId();
    }

    Instant startedAt() {
        return running.startedAt();
    }

    /**
     * Enters a phase: tells the context's listener, then checks that the lease is still this
     * run's, so a run whose lease was taken over stops before it writes any more.
     *
     * @throws adrank.loaders.hbase.LeaseLostException when another run holds the lock now
     */
    void phase(String phase) throws IOException {
        fence.enter(phase);
    }

    /** What the attempt read: kept in its end record, a failed one included. */
    void read(long in, long bad, Map<String, Long> badReasons) {
        this.rowsIn = in;
        this.rowsBad = bad;
        this.reasons = Map.copyOf(badReasons);
    }

    /** What the result stage did: keys whose result was written, keys quarantined as faulty (pushed with the end). */
    void results(long refreshed, long faulty) {
        this.resultsRefreshed = refreshed;
        this.faultyKeys = faulty;
    }

    /**
     * The attempt skipped its result stage (a backfill hour: the day's fold computes the results): its end
     * record says so ({@link RunRecord#resultsDeferred()}) and it pushes 0 results refreshed.
     */
    void resultsDeferred() {
        this.resultsDeferred = true;
        this.resultsRefreshed = 0;
        this.faultyKeys = 0;
    }

    /** The fenced commit: records SUCCEEDED only while the lock still holds this attempt's version. */
    void succeeded(long keysWritten, long keysRemoved, String note) throws IOException {
        phase("commit");
        RunRecord end = running.finished(RunRecord.SUCCEEDED, elapsedMs(), rowsIn, rowsBad, reasons, keysWritten,
                keysRemoved, note).withResultsDeferred(resultsDeferred);
        ledger.record(end);
        ended = true;
        push(end);
    }

    /** Pushes the recorded end (when metrics are on): never throws. */
    private void push(RunRecord end) {
        if (metrics == null) {
            return;
        }
        try {
            metrics.push(metricsOf(end));
        } catch (RuntimeException e) {
            LOG.warn("{}: could not push its metrics; the run itself is not affected", name, e);
        }
    }

    private RunMetrics metricsOf(RunRecord end) {
        RunUnit unit = end.unit();
        RunMetrics run = RunMetrics.of(unit.kind().equals(RunUnit.HOUR) ? RunMetrics.Kind.HOURLY : RunMetrics.Kind.DAILY,
                        schema, end.succeeded(), clock.instant(), Duration.ofMillis(end.durationMs()))
                .unit(unit.day(), unit.hour())
                .set(Metric.KEYS_WRITTEN, end.keysWritten())
                .set(Metric.KEYS_REMOVED, end.keysRemoved())
                .set(Metric.RESULTS_REFRESHED, end.succeeded() ? resultsRefreshed : 0)
                .set(Metric.FAULTY_KEYS, end.succeeded() ? faultyKeys : 0);
        if (unit.kind().equals(RunUnit.HOUR)) {
            run.rows(end.rowsIn(), end.badReasons());
        }
        return run;
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
                // HBase has just had the whole hbase.unreachable-timeout: wait for the record a little only
                BoundedWait.run("ledger-end", BoundedWait.AFTER_UNREACHABLE, () -> ledger.record(end));
            } else {
                ledger.record(end);
            }
        } catch (Throwable notRecorded) {
            LOG.warn("{}: could not record the failure in the ledger", name, notRecorded);
            String why = unreachable
                    // the cause said so already; the next run that takes the lock over records it FAILED
                    ? " (nor could the ledger record it; the next run of the schema records the attempt as FAILED)"
                    : " (the ledger could not record this failure, so it shows the attempt as RUNNING until the "
                            + "next run of the schema takes the lock over: " + Failures.describe(notRecorded) + ")";
            thrown = new RunFailedException(thrown.getMessage() + why, e);
            e.addSuppressed(notRecorded);
        }
        push(end);
        if (e instanceof Error error) {
            throw error;
        }
        return thrown;
    }

    long elapsedMs() {
        return Duration.between(running.startedAt(), clock.instant()).toMillis();
    }
}
