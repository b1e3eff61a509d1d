package adrank.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import adrank.jobs.pipeline.SparkHourSource;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.spark.SparkSessions;
import adrank.udfs.event.RawEventSchema;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Read + aggregate of one hour's gzip files, two ways, in one Spark session, alternating and
 * warmed up: the bare Spark SQL baseline (CSV reader with a schema, GROUP BY the key columns,
 * sums) and adrank's own path (raw lines, {@code ParseAndCombine}, persisted, reject-reason
 * counts, per-key sums), both ending in Spark's no-op sink so the whole plan runs. Prints one
 * {@code RESULT name seconds rows} line per measured run.
 *
 * <p>Usage: {@code ReadAggregateBench <rounds> <file>...}
 */
public final class ReadAggregateBench {

    private ReadAggregateBench() {
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        String[] files = java.util.Arrays.copyOfRange(args, 1, args.length);
        AdrankConfig config = AdrankConfig.load("local", Map.of("input.source", "path", "spark.progress", "false"));
        SparkSession spark = SparkSessions.getOrCreate(config);
        Map<String, Long> best = new LinkedHashMap<>();
        for (int round = 0; round <= rounds; round++) {
            long baseline = time(() -> baseline(spark, files));
            long adrank = time(() -> adrank(spark, config, files));
            if (round == 0) {
                System.out.printf(Locale.ROOT, "warm-up: baseline %.1f s, adrank %.1f s%n", baseline / 1e9,
                        adrank / 1e9);
                continue;
            }
            best.merge("spark-sql-group-by", baseline, Math::min);
            best.merge("adrank-read-aggregate", adrank, Math::min);
        }
        best.forEach((name, nanos) -> System.out.printf(Locale.ROOT, "RESULT %s %.3f%n", name, nanos / 1e9));
        spark.stop();
    }

    private static long time(Runnable run) {
        long start = System.nanoTime();
        run.run();
        return System.nanoTime() - start;
    }

    /** Bare Spark SQL: CSV with a schema, GROUP BY the six key columns, the same sums. */
    static void baseline(SparkSession spark, String[] files) {
        StructType schema = new StructType();
        for (String column : RawEventSchema.COLUMNS) {
            schema = schema.add(column, column.endsWith("_micros") ? DataTypes.LongType : DataTypes.StringType);
        }
        Dataset<Row> events = spark.read().option("sep", "\t").schema(schema).csv(files);
        Column[] key = {col("ad_id"), col("geo"), col("device"), col("os"), col("browser"), col("connection")};
        events.groupBy(key).agg(
                        count(lit(1)).as("events"),
                        sum(when(col("event").equalTo("imp"), 1).otherwise(0)).as("imps"),
                        sum(when(col("event").equalTo("click"), 1).otherwise(0)).as("clicks"),
                        sum(when(col("event").equalTo("conv"), 1).otherwise(0)).as("convs"),
                        sum("revenue_micros").as("rev"), sum("value_micros").as("val"))
                .write().format("noop").mode("overwrite").save();
    }

    /** The hourly job's read path: validate + combine, persist, reason counts, per-key sums. */
    static void adrank(SparkSession spark, AdrankConfig config, String[] files) {
        Dataset<Row> raw = HourPartitions.textLines(spark, files)
                .withColumn(HourPartitions.FILE_COLUMN, functions.input_file_name());
        Dataset<Row> parsed = SparkHourSource.parseAndCombine(raw, config).persist(StorageLevel.MEMORY_AND_DISK());
        parsed.groupBy("reason").agg(sum("events")).collectAsList();
        SparkHourSource.perKeySums(parsed).write().format("noop").mode("overwrite").save();
        parsed.unpersist(true);
    }
}
