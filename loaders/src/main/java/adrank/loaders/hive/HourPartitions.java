package adrank.loaders.hive;

import adrank.loaders.config.InputConfig;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.stats.HourId;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and reads one hour partition ({@code dt}/{@code hr}) of the input table.
 *
 * <p>Through the metastore, the table is registered as an external table over
 * {@code <input.path>/<table>} and the hour's partition is added before it is read, so the
 * warehouse (and Presto, Hive, analysts) see the same partitions the jobs read. The rows are
 * read as raw text lines (text format) so that a row with the wrong column count or an
 * unparsable number is quarantined instead of silently becoming nulls in a Hive SerDe. Lines and
 * the descriptive (key) columns are handed on as bytes, exactly as stored: a Java string would
 * already have turned bytes that are not UTF-8 into U+FFFD, and the parser must see them to
 * quarantine the row ({@code invalid_utf8}).
 */
public final class HourPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(HourPartitions.class);

    /** The source file of a row (a string), the last column of every read. */
    public static final String FILE_COLUMN = "_file";
    /** The raw line (text format) as bytes; the parser decodes it and the quarantine keeps it. */
    public static final String LINE_COLUMN = "_line";

    private final SparkSession spark;
    private final InputConfig input;

    public HourPartitions(SparkSession spark, InputConfig input) {
        this.spark = spark;
        this.input = input;
    }

    /** The directory of an hour partition: {@code <table location>/dt=D/hr=HH}. */
    public String location(HourId hour) {
        return input.tableLocation() + "/dt=" + hour.day() + "/hr=" + hour.hr();
    }

    /**
     * Whether the hour's partition directory exists at all, complete or not (backfills with
     * {@code --skip-missing} skip hours without one; a directory without {@code _SUCCESS} is still
     * an error when the hour runs).
     */
    public boolean directoryExists(HourId hour) {
        Path dir = new Path(location(hour));
        try {
            return dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + dir, e);
        }
    }

    /** An hour that is ready to read. */
    public record ReadyHour(HourId hour, String location, List<String> files, long bytes) {
    }

    /**
     * Checks that the hour is ready (its {@code _SUCCESS} marker exists) and registers it.
     *
     * @throws PartitionNotReadyException naming the path when the marker or directory is missing
     */
    public ReadyHour locate(HourId hour) {
        String location = location(hour);
        Path dir = new Path(location);
        List<String> files = new ArrayList<>();
        long bytes = 0;
        try {
            FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(new Path(dir, "_SUCCESS"))) {
                throw new PartitionNotReadyException("partition " + input.table() + " dt=" + hour.day() + " hr="
                        + hour.hr() + " is not ready: " + location + "/_SUCCESS does not exist"
                        + (fs.exists(dir) ? " (the directory exists but is not marked complete)" : " (no such directory)"));
            }
            for (FileStatus status : fs.listStatus(dir)) {
                String name = status.getPath().getName();
                if (status.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
                    files.add(status.getPath().toString());
                    bytes += status.getLen();
                }
            }
        } catch (FileNotFoundException e) {
            throw new PartitionNotReadyException("partition directory " + location + " does not exist");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + location, e);
        }
        if (input.viaMetastore()) {
            register(hour, location);
        }
        LOG.debug("hour {} at {}: {} files, {} bytes", hour, location, files.size(), bytes);
        return new ReadyHour(hour, location, files, bytes);
    }

    /**
     * Reads a located hour. Text: one row per line with {@code _line} (binary) and {@code _file};
     * ORC and Parquet: the 15 columns, the descriptive ones as binary (their stored bytes) and the
     * others cast to strings, plus {@code _file}. An hour without data files is a valid, empty hour.
     */
    public Dataset<Row> read(ReadyHour ready) {
        if (ready.files().isEmpty()) {
            return spark.createDataFrame(List.of(), emptySchema());
        }
        String[] files = ready.files().toArray(new String[0]);
        Dataset<Row> rows;
        switch (input.format()) {
            case "text":
                rows = textLines(spark, files);
                break;
            case "orc":
                rows = rawColumns(spark.read().orc(files));
                break;
            case "parquet":
                rows = rawColumns(spark.read().parquet(files));
                break;
            default:
                throw new IllegalStateException("unsupported input.format " + input.format());
        }
        return rows.withColumn(FILE_COLUMN, functions.input_file_name());
    }

    /**
     * The lines of text files as bytes ({@code _line}, binary): Spark's text reader keeps a line's
     * bytes as they are, and the cast to binary hands them on without decoding.
     */
    public static Dataset<Row> textLines(SparkSession spark, String... files) {
        return spark.read().text(files).select(functions.col("value").cast("binary").as(LINE_COLUMN));
    }

    private org.apache.spark.sql.types.StructType emptySchema() {
        org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType();
        if (input.format().equals("text")) {
            schema = schema.add(LINE_COLUMN, "binary");
        } else {
            for (String column : RawEventSchema.COLUMNS) {
                schema = schema.add(column, RawEventSchema.isDimension(column) ? "binary" : "string");
            }
        }
        return schema.add(FILE_COLUMN, "string");
    }

    /**
     * Descriptive columns as their bytes (a string column's bytes are kept as stored), the rest as
     * strings; the optional {@code unit_id} and {@code variant} only when the files have both (a
     * file with one of them is read as the 15 columns; the parser sees what the file holds).
     */
    private static Dataset<Row> rawColumns(Dataset<Row> typed) {
        List<String> present = java.util.Arrays.asList(typed.columns());
        List<String> names = present.containsAll(RawEventSchema.EXPERIMENT_COLUMNS)
                ? RawEventSchema.COLUMNS_WITH_EXPERIMENT : RawEventSchema.COLUMNS;
        List<org.apache.spark.sql.Column> columns = names.stream()
                .map(c -> RawEventSchema.isDimension(c) || c.equals("unit_id")
                        ? functions.col(c).cast("string").cast("binary").as(c)
                        : functions.col(c).cast("string").as(c))
                .collect(Collectors.toList());
        return typed.select(columns.toArray(new org.apache.spark.sql.Column[0]));
    }

    private void register(HourId hour, String location) {
        String db = input.database();
        String table = db + "." + input.table();
        spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
        if (!spark.catalog().tableExists(db, input.table())) {
            spark.sql("CREATE EXTERNAL TABLE IF NOT EXISTS " + table + " (" + columnsDdl() + ")"
                    + " PARTITIONED BY (dt STRING, hr STRING) " + storageDdl()
                    + " LOCATION '" + input.tableLocation().replace("'", "\\'") + "'");
            LOG.info("registered table {} over {}", table, input.tableLocation());
        }
        spark.sql("ALTER TABLE " + table + " ADD IF NOT EXISTS PARTITION (dt='" + hour.day() + "', hr='" + hour.hr()
                + "') LOCATION '" + location.replace("'", "\\'") + "'");
    }

    private static String columnsDdl() {
        return RawEventSchema.COLUMNS.stream()
                .map(c -> c + (c.endsWith("_micros") ? " BIGINT" : " STRING"))
                .collect(Collectors.joining(", "));
    }

    private String storageDdl() {
        switch (input.format()) {
            case "orc":
                return "STORED AS ORC";
            case "parquet":
                return "STORED AS PARQUET";
            default:
                return "ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' STORED AS TEXTFILE";
        }
    }
}
