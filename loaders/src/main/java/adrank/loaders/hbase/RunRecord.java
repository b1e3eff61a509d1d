package adrank.loaders.hbase;

import java.time.Instant;
import java.util.Map;

/**
 * One run attempt as the ledger keeps it.
 *
 * @param unit        the hour or day
 * @param runId       id of the attempt, sortable by write version
 * @param status      RUNNING, SUCCEEDED or FAILED
 * @param startedAt   start time on the driver's clock (shown, never used to order)
 * @param durationMs  wall time (0 while running)
 * @param rowsIn      rows read (valid + quarantined)
 * @param rowsBad     rows quarantined
 * @param badReasons  quarantined rows per reason
 * @param keysWritten keys whose cells the run wrote
 * @param keysRemoved keys whose cell for the unit the run removed (re-runs)
 * @param writeVersion the write version the attempt wrote with (the HBase cell timestamp; see
 *                    {@link adrank.udfs.run.WriteOrder})
 * @param input       what was read (a partition location) or folded
 * @param message     failure or warning text
 * @param resultsDeferred an hour applied without the result stage (a backfill hour whose day's fold, next in the
 *                    backfill, computes every key's result): its data is in the state, but the stored results are
 *                    those of the last result stage before it. Always false for a day (a fold runs the stage)
 */
public record RunRecord(RunUnit unit, String runId, String status, Instant startedAt, long durationMs, long rowsIn,
        long rowsBad, Map<String, Long> badReasons, long keysWritten, long keysRemoved, long writeVersion, String input,
        String message, boolean resultsDeferred) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";

    public RunRecord {
        badReasons = Map.copyOf(badReasons);
    }

    /** An attempt that ran (or runs) its result stage. */
    public RunRecord(RunUnit unit, String runId, String status, Instant startedAt, long durationMs, long rowsIn,
            long rowsBad, Map<String, Long> badReasons, long keysWritten, long keysRemoved, long writeVersion,
            String input, String message) {
        this(unit, runId, status, startedAt, durationMs, rowsIn, rowsBad, badReasons, keysWritten, keysRemoved,
                writeVersion, input, message, false);
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    public RunRecord finished(String newStatus, long duration, long in, long bad, Map<String, Long> reasons,
            long written, long removed, String newMessage) {
        return new RunRecord(unit, runId, newStatus, startedAt, duration, in, bad, reasons, written, removed, writeVersion,
                input, newMessage, resultsDeferred);
    }

    /** The same record, marked as applied with or without the result stage. */
    public RunRecord withResultsDeferred(boolean deferred) {
        return new RunRecord(unit, runId, status, startedAt, durationMs, rowsIn, rowsBad, badReasons, keysWritten,
                keysRemoved, writeVersion, input, message, deferred);
    }
}
