package adrank.jobs.pipeline;

import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where an hourly run's per-key counters come from ({@code input.engine}): the Spark path reads
 * and parses the partition's files ({@link SparkHourSource}); the Presto path asks Presto for the
 * hour's per-key aggregates ({@link PrestoHourSource}). Everything after the source (threshold,
 * removed keys, hour cells, today, results) is one code path.
 */
interface HourSource {

    /** The source for this run's configuration. */
    static HourSource of(RunContext ctx) {
        return ctx.config().presto().readsThroughPresto() ? new PrestoHourSource(ctx) : new SparkHourSource(ctx);
    }

    /** What the ledger records as the run's input. */
    String location(HourId hour);

    /**
     * Checks that the hour is ready, counts and quarantines what is malformed, and returns the
     * per-key counters (lazily). Writes nothing to HBase.
     *
     * @param appliedBefore the hour ran before (an earlier quarantine must be replaced even when empty)
     */
    Read read(HourId hour, boolean appliedBefore) throws IOException;

    /**
     * One hour as read.
     *
     * @param perKey     columns key, imps, clicks, convs, rev, val (longs)
     * @param rowsIn     input rows (events) of the hour, malformed ones included
     * @param rowsBad    of which quarantined
     * @param reasons    quarantined rows per reason
     * @param quarantine where they were written (null when nothing was written)
     * @param release    frees what the read cached; safe to call more than once
     */
    record Read(Dataset<Row> perKey, long rowsIn, long rowsBad, Map<String, Long> reasons, String quarantine,
            Runnable release) {
    }
}
