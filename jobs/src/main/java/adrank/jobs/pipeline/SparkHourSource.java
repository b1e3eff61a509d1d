package adrank.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.hive.Quarantine;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.spark.ParseAndCombine;
import adrank.udfs.stats.HourId;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark path: the job reads the partition's files of {@code input.table} itself, parses every
 * row with {@link RawEventParser}, quarantines the malformed ones and aggregates per key.
 */
public final class SparkHourSource implements HourSource {

    private static final Logger LOG = LoggerFactory.getLogger(HourlyJob.class);

    private final RunContext ctx;
    private final HourPartitions partitions;

    SparkHourSource(RunContext ctx) {
        this.ctx = ctx;
        this.partitions = new HourPartitions(ctx.spark(), ctx.config().input());
    }

    @Override
    public String location(HourId hour) {
        return partitions.location(hour);
    }

    @Override
    public Read read(HourId hour, boolean appliedBefore) {
        AdrankConfig config = ctx.config();
        // 1. read: the partition must be complete (_SUCCESS); an empty one is a zero hour
        HourPartitions.ReadyHour ready = partitions.locate(hour);
        LOG.info("hourly {}: reading {} file(s), {} MB from {}", hour, ready.files().size(),
                ready.bytes() / 1_000_000, ready.location());
        Dataset<Row> parsed = parseAndCombine(partitions.read(ready), config).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // 2. validate: count rows per reject reason, quarantine
            long rowsIn = 0;
            long rowsBad = 0;
            Map<String, Long> reasons = new TreeMap<>();
            for (Row row : parsed.groupBy("reason").agg(sum("events")).collectAsList()) {
                long n = row.isNullAt(1) ? 0 : row.getLong(1);
                rowsIn += n;
                if (!row.isNullAt(0)) {
                    reasons.put(row.getString(0), n);
                    rowsBad += n;
                }
            }
            Quarantine quarantine = new Quarantine(config.input().quarantineDir(), config.input().table());
            String quarantined = null;
            if (rowsBad > 0 || appliedBefore) {
                quarantined = quarantine.write(hour, parsed.filter(col("reason").isNotNull())
                        .select("reason", "detail", "file", "line"));
            }
            // 3. aggregate per key (rows are already combined per key and file)
            Dataset<Row> perKey = perKeySums(parsed);
            return new Read(perKey, rowsIn, rowsBad, reasons, quarantined, () -> parsed.unpersist(true));
        } catch (RuntimeException e) {
            parsed.unpersist(true); // blocking: an asynchronous removal can race the session stop at exit
            throw e;
        }
    }

    /**
     * Validates raw rows and combines the valid ones per key and input partition
     * ({@link ParseAndCombine}); malformed rows keep their reason. (Also what the benchmark times.)
     */
    public static Dataset<Row> parseAndCombine(Dataset<Row> raw, AdrankConfig config) {
        RawEventParser parser = new RawEventParser(config.key().dimensions(), config.key().separator());
        return raw.mapPartitions(new ParseAndCombine(parser, config.input().format().equals("text")),
                Encoders.row(ParseAndCombine.SCHEMA));
    }

    /** The hour's counters per key: {@code (key, imps, clicks, convs, rev, val)} of the valid rows. */
    public static Dataset<Row> perKeySums(Dataset<Row> parsed) {
        return parsed.filter(col("reason").isNull()).groupBy("key").agg(
                sum("imps").as("imps"), sum("clicks").as("clicks"), sum("convs").as("convs"),
                sum("rev").as("rev"), sum("val").as("val"));
    }
}
