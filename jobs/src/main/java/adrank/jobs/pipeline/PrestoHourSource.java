package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.InputConfig;
import adrank.loaders.config.PrestoConfig;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.hive.Quarantine;
import adrank.loaders.presto.PrestoException;
import adrank.loaders.presto.PrestoHourReader;
import adrank.loaders.presto.PrestoJdbc;
import adrank.loaders.presto.PrestoWarehouse;
import adrank.udfs.stats.HourId;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Presto path ({@code input.engine = presto}): the hour's per-key aggregates of
 * {@code presto.table}, as {@code rank etl} writes them, read through Presto over JDBC in
 * parallel from the executors and keyed with the same codec as the Spark path.
 *
 * <p>The hour must be ready like any partition ({@code _SUCCESS} under
 * {@code <input.path>/<presto.table>/dt=../hr=..}). The raw rows were validated by the ETL; here
 * malformed aggregate rows (empty key dimension, null or negative counter) are quarantined and
 * count against {@code input.max-bad-fraction} by the events they carry. When Presto cannot be
 * reached the run fails, naming the URL, before anything is written to HBase.
 */
final class PrestoHourSource implements HourSource {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyJob.class);
    /** Rejected aggregate rows written to the quarantine at most (they pass through the driver). */
    static final int MAX_QUARANTINED = 100_000;

    private final RunContext ctx;
    private final PrestoConfig presto;
    private final PrestoWarehouse warehouse;
    private final HourPartitions partitions;

    PrestoHourSource(RunContext ctx) {
        this.ctx = ctx;
        AdrankConfig config = ctx.config();
        this.presto = config.presto();
        this.warehouse = new PrestoWarehouse(PrestoJdbc.of(presto), presto, config.input().path(),
                config.key().dimensions());
        InputConfig input = config.input();
        // the aggregate table's files: only to check the _SUCCESS marker and whether data exists
        this.partitions = new HourPartitions(ctx.spark(), new InputConfig(presto.table(), "orc", input.path(), "path",
                input.database(), input.maxBadFraction(), input.quarantineDir()));
    }

    @Override
    public String location(HourId hour) {
        return partitions.location(hour);
    }

    @Override
    public Read read(HourId hour, boolean appliedBefore) {
        AdrankConfig config = ctx.config();
        HourPartitions.ReadyHour ready = partitions.locate(hour);
        PrestoHourReader reader = new PrestoHourReader(warehouse, presto.table(), config.key().dimensions(),
                config.key().separator(), presto.readPartitions());
        PrestoHourReader.Summary summary;
        List<adrank.loaders.presto.PrestoWarehouse.Rejected> rejected = List.of();
        try {
            summary = reader.prepareAndSummarize(hour, !ready.files().isEmpty());
            if (summary.badRows() > 0) {
                rejected = reader.rejected(hour, MAX_QUARANTINED);
            }
        } catch (PrestoException e) {
            throw new RunFailedException("hour " + hour + ": " + e.getMessage() + "; nothing was written to HBase", e);
        }
        LOG.info("hourly {}: {} aggregate rows ({} events) in {} through Presto at {}", hour, summary.rows(),
                summary.events(), warehouse.display(presto.table()), presto.url());
        String quarantined = null;
        if (summary.badRows() > 0 || appliedBefore) {
            StructType schema = new StructType().add("reason", "string").add("detail", "string")
                    .add("file", "string").add("line", "string");
            List<Row> rows = rejected.stream()
                    .map(r -> RowFactory.create(r.reason(), r.detail(), r.file(), r.line())).toList();
            quarantined = new Quarantine(config.input().quarantineDir(), presto.table())
                    .write(hour, ctx.spark().createDataFrame(rows, schema));
        }
        // cached: the removed-keys join and the writers use it, and Presto is asked only once
        Dataset<Row> perKey = reader.read(ctx.spark(), hour).persist(StorageLevel.MEMORY_AND_DISK());
        return new Read(perKey, summary.events(), summary.badEvents(), summary.badEventsByReason(), quarantined,
                () -> perKey.unpersist(true));
    }
}
