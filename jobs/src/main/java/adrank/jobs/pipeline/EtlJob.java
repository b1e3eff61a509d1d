package adrank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.InputConfig;
import adrank.loaders.config.PrestoConfig;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.hive.PartitionDirs;
import adrank.loaders.hive.PartitionNotReadyException;
import adrank.loaders.hive.Quarantine;
import adrank.loaders.metrics.Metric;
import adrank.loaders.metrics.RunMetrics;
import adrank.loaders.presto.PrestoException;
import adrank.loaders.presto.PrestoJdbc;
import adrank.loaders.presto.PrestoWarehouse;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.spark.ParseRows;
import adrank.udfs.stats.HourId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank etl --dt D --hr H [--engine spark|presto]}: one raw gzip text hour
 * ({@code etl.raw-table}) becomes an ORC hour ({@code etl.bin-table}) and that hour's per-key
 * aggregates ({@code etl.agg-table}), both under {@code <input.path>/<table>/dt=D/hr=HH/}.
 *
 * <p>Both engines apply the rules of {@code RawEventParser} (Spark calls it; Presto evaluates the
 * same checks in SQL), quarantine malformed rows to {@code <input.quarantine-dir>/<raw-table>/dt=../hr=../}
 * and fail before writing anything when their share exceeds {@code input.max-bad-fraction}. A
 * re-run replaces both partitions: their {@code _SUCCESS} markers are removed first, the
 * directories emptied, the data written, and each marker written last (the aggregate's after the
 * ORC hour's). Types and column order are the same with either engine, so what one wrote the
 * other (and the hourly job) reads.
 */
public final class EtlJob {

    private static final Logger LOG = LoggerFactory.getLogger(EtlJob.class);
    /** Rejected raw rows Presto hands to the quarantine at most (they pass through the driver). */
    static final int MAX_QUARANTINED = 100_000;

    private EtlJob() {
    }

    /** What an ETL run did. */
    public record Outcome(HourId hour, String engine, long rowsIn, long rowsBad, Map<String, Long> badReasons,
            long binRows, long aggKeys, String quarantine, String binLocation, String aggLocation, Duration elapsed) {
    }

    /**
     * Converts the hour, then pushes the run's metrics (job {@code adrank_etl}: rows in, quarantined
     * per reason, aggregate keys written; a failed run pushes that it failed).
     */
    public static Outcome run(RunContext ctx, HourId hour, String engine) {
        Instant start = ctx.clock().instant();
        Outcome outcome;
        try {
            outcome = convert(ctx, hour, engine);
        } catch (RuntimeException | Error e) {
            Instant end = ctx.clock().instant();
            ctx.push(RunMetrics.of(RunMetrics.Kind.ETL, ctx.config().schema(), false, end, Duration.between(start, end))
                    .unit(hour.day(), hour.hour()));
            throw e;
        }
        ctx.push(RunMetrics.of(RunMetrics.Kind.ETL, ctx.config().schema(), true, ctx.clock().instant(), outcome.elapsed())
                .unit(hour.day(), hour.hour())
                .rows(outcome.rowsIn(), outcome.badReasons())
                .set(Metric.KEYS_WRITTEN, outcome.aggKeys()));
        return outcome;
    }

    private static Outcome convert(RunContext ctx, HourId hour, String engine) {
        if (!"spark".equals(engine) && !"presto".equals(engine)) {
            throw new IllegalArgumentException("--engine must be spark or presto, not '" + engine + "'");
        }
        Instant start = Instant.now();
        AdrankConfig config = ctx.config();
        PrestoConfig.Etl etl = config.presto().etl();
        InputConfig input = config.input();
        HourPartitions raw = new HourPartitions(ctx.spark(), table(input, etl.rawTable(), "text", "path"));
        HourPartitions.ReadyHour ready;
        try {
            ready = raw.locate(hour);
        } catch (PartitionNotReadyException e) {
            throw new RunFailedException(e.getMessage(), e);
        }
        Hour h = new Hour(ctx, hour, ready, table(input, etl.binTable(), "orc", "path").tableLocation() + part(hour),
                table(input, etl.aggTable(), "orc", "path").tableLocation() + part(hour),
                new Quarantine(input.quarantineDir(), etl.rawTable()), ctx.spark().sparkContext().hadoopConfiguration());
        LOG.info("etl {} with {}: {} file(s), {} MB from {}", hour, engine, ready.files().size(),
                ready.bytes() / 1_000_000, ready.location());
        Outcome outcome;
        try {
            outcome = "presto".equals(engine) ? withPresto(h) : withSpark(h);
        } catch (PrestoException e) {
            throw new RunFailedException("etl " + hour + ": " + e.getMessage(), e);
        } catch (RunFailedException e) {
            throw e;
        } catch (Exception e) {
            // e.g. a truncated gzip file: Spark rethrows the task's failure as a checked SparkException
            throw new RunFailedException("etl " + hour + ": " + Failures.describe(e), e);
        }
        return new Outcome(hour, engine, outcome.rowsIn(), outcome.rowsBad(), outcome.badReasons(), outcome.binRows(),
                outcome.aggKeys(), outcome.quarantine(), h.binDir(), h.aggDir(), Duration.between(start, Instant.now()));
    }

    /** One hour being converted. */
    private record Hour(RunContext ctx, HourId id, HourPartitions.ReadyHour ready, String binDir, String aggDir,
            Quarantine quarantine, Configuration conf) {
    }

    // ----------------------------------------------------------------------------------- Spark

    private static Outcome withSpark(Hour h) {
        RunContext ctx = h.ctx();
        AdrankConfig config = ctx.config();
        PrestoConfig.Etl etl = config.presto().etl();
        List<String> dims = config.key().dimensions();
        RawEventParser parser = new RawEventParser(dims, config.key().separator());
        HourPartitions raw = new HourPartitions(ctx.spark(), table(config.input(), etl.rawTable(), "text", "path"));
        Dataset<Row> rows = raw.read(h.ready()).mapPartitions(new ParseRows(parser), Encoders.row(ParseRows.SCHEMA))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> byReason = new TreeMap<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
            for (Row row : rows.groupBy("reason").count().collectAsList()) {
                byReason.put(row.isNullAt(0) ? null : row.getString(0), row.getLong(1));
            }
            String quarantined = quarantine(h, byReason, () -> rows.filter(col("reason").isNotNull())
                    .select("reason", "detail", "file", "line"));
            checkThreshold(h, byReason, quarantined);

            unmarkAndClear(h);
            List<Column> binColumns = new ArrayList<>();
            RawEventSchema.COLUMNS.forEach(c -> binColumns.add(col(c)));
            Dataset<Row> valid = rows.filter(col("reason").isNull()).select(binColumns.toArray(new Column[0]));
            writeOrc(valid, h.binDir());
            PartitionDirs.mark(h.conf(), h.binDir());

            List<Column> aggColumns = new ArrayList<>();
            Column[] groups = dims.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
            aggColumns.add(count(lit(1)).as("events"));
            aggColumns.add(sum(when(col("event").equalTo("imp"), 1L).otherwise(0L)).as("impressions"));
            aggColumns.add(sum(when(col("event").equalTo("click"), 1L).otherwise(0L)).as("clicks"));
            aggColumns.add(sum(when(col("event").equalTo("conv"), 1L).otherwise(0L)).as("conversions"));
            aggColumns.add(sum("revenue_micros").as("revenue_micros"));
            aggColumns.add(sum("value_micros").as("value_micros"));
            Dataset<Row> agg = valid.groupBy(groups).agg(aggColumns.get(0),
                    aggColumns.subList(1, aggColumns.size()).toArray(new Column[0]));
            writeOrc(agg, h.aggDir());
            long keys = ctx.spark().read().orc(h.aggDir()).count();
            PartitionDirs.mark(h.conf(), h.aggDir());

            if (config.input().viaMetastore()) {
                // analysts' Spark SQL sees the ORC hour (the hourly job registers what it reads the same way)
                new HourPartitions(ctx.spark(), table(config.input(), etl.binTable(), "orc", "metastore")).locate(h.id());
            }
            long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
            long valid0 = byReason.getOrDefault(null, 0L);
            return new Outcome(h.id(), "spark", rowsIn, rowsIn - valid0, PrestoWarehouse.rejectsOnly(byReason), valid0,
                    keys, quarantined, h.binDir(), h.aggDir(), null);
        } finally {
            rows.unpersist(true); // blocking: an asynchronous removal can race the session stop at exit
        }
    }

    /** ORC with zlib, column order as given; no Spark _SUCCESS (the job writes its own, last). */
    private static void writeOrc(Dataset<Row> rows, String dir) {
        rows.write().mode(SaveMode.Overwrite).option("compression", "zlib")
                .option("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false").orc(dir);
    }

    // ---------------------------------------------------------------------------------- Presto

    private static Outcome withPresto(Hour h) {
        RunContext ctx = h.ctx();
        AdrankConfig config = ctx.config();
        PrestoConfig presto = config.presto();
        PrestoConfig.Etl etl = presto.etl();
        PrestoJdbc jdbc = PrestoJdbc.of(presto).withSession(presto.catalog() + ".orc_compression_codec", "GZIP"); // Presto's GZIP is ORC's ZLIB
        PrestoWarehouse warehouse = new PrestoWarehouse(jdbc, presto, config.input().path(), config.key().dimensions());
        // Presto wants an external table's directory to exist
        PartitionDirs.mkdirs(h.conf(), warehouse.location(etl.binTable()));
        PartitionDirs.mkdirs(h.conf(), warehouse.location(etl.aggTable()));
        warehouse.ensureEtlTables();

        Map<String, Long> byReason = jdbc.run("validate raw hour " + h.id(), c -> {
            warehouse.registerPartition(c, warehouse.linesTable(), h.id());
            return warehouse.rowsByReason(c, h.id());
        });
        String quarantined = quarantine(h, byReason, () -> {
            List<Row> rejected = jdbc.run("read the rejected rows of " + h.id(), c -> warehouse.rejected(c, h.id(),
                    MAX_QUARANTINED)).stream().map(r -> RowFactory.create(r.reason(), r.detail(), r.file(), r.line()))
                    .toList();
            StructType schema = new StructType().add("reason", "string").add("detail", "string")
                    .add("file", "string").add("line", "string");
            return ctx.spark().createDataFrame(rejected, schema);
        });
        checkThreshold(h, byReason, quarantined);

        unmarkAndClear(h);
        // each step is repeatable as a whole (drop, empty, insert), so a retried connection cannot double rows
        long binRows = jdbc.run("write " + warehouse.display(etl.binTable()) + " " + h.id(), c -> {
            warehouse.dropPartition(c, etl.binTable(), h.id());
            PartitionDirs.clear(h.conf(), h.binDir());
            return warehouse.insertBinHour(c, h.id());
        });
        PartitionDirs.mark(h.conf(), h.binDir()); // creates the directory of an hour without valid rows
        long aggKeys = jdbc.run("write " + warehouse.display(etl.aggTable()) + " " + h.id(), c -> {
            warehouse.dropPartition(c, etl.aggTable(), h.id());
            PartitionDirs.clear(h.conf(), h.aggDir());
            return warehouse.insertAggHour(c, h.id());
        });
        PartitionDirs.mark(h.conf(), h.aggDir());

        long rowsIn = byReason.values().stream().mapToLong(Long::longValue).sum();
        long valid = byReason.getOrDefault(null, 0L);
        return new Outcome(h.id(), "presto", rowsIn, rowsIn - valid, PrestoWarehouse.rejectsOnly(byReason), binRows,
                aggKeys, quarantined, h.binDir(), h.aggDir(), null);
    }

    // ---------------------------------------------------------------------------------- common

    /** Writes the rejected rows, or removes an earlier run's when there are none; returns the location. */
    private static String quarantine(Hour h, Map<String, Long> byReason,
            java.util.function.Supplier<Dataset<Row>> rejected) {
        long bad = PrestoWarehouse.rejectsOnly(byReason).values().stream().mapToLong(Long::longValue).sum();
        if (bad == 0) {
            PartitionDirs.clear(h.conf(), h.quarantine().location(h.id()));
            return null;
        }
        return h.quarantine().write(h.id(), rejected.get());
    }

    private static void checkThreshold(Hour h, Map<String, Long> byReason, String quarantined) {
        Map<String, Long> reasons = PrestoWarehouse.rejectsOnly(byReason);
        long bad = reasons.values().stream().mapToLong(Long::longValue).sum();
        long all = byReason.values().stream().mapToLong(Long::longValue).sum();
        double fraction = all == 0 ? 0 : (double) bad / all;
        double max = h.ctx().config().input().maxBadFraction();
        if (fraction > max) {
            throw new RunFailedException(String.format("etl %s: %d of %d rows (%.2f%%) are malformed, more than "
                    + "input.max-bad-fraction = %s; nothing was written (%s and %s are unchanged). Rejected rows by "
                    + "reason %s are in %s", h.id(), bad, all, 100 * fraction, max, h.binDir(), h.aggDir(), reasons,
                    quarantined));
        }
    }

    /** Markers first (readers see "not ready"), then the old data. */
    private static void unmarkAndClear(Hour h) {
        PartitionDirs.unmark(h.conf(), h.aggDir());
        PartitionDirs.unmark(h.conf(), h.binDir());
        PartitionDirs.clear(h.conf(), h.aggDir());
        PartitionDirs.clear(h.conf(), h.binDir());
    }

    private static InputConfig table(InputConfig input, String table, String format, String source) {
        return new InputConfig(table, format, input.path(), source, input.database(), input.maxBadFraction(),
                input.quarantineDir());
    }

    private static String part(HourId hour) {
        return "/dt=" + hour.day() + "/hr=" + hour.hr();
    }
}
