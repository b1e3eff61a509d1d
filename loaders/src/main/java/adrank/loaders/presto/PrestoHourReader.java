package adrank.loaders.presto;

import adrank.udfs.key.ImpressionKey;
import adrank.udfs.stats.HourId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one hour of per-key aggregates through Presto for the hourly job
 * ({@code input.engine = presto}).
 *
 * <p>The hour is read in parallel from the executors: task {@code i} of {@code n} asks for the
 * keys whose {@code crc32} of the dimension values is {@code i} modulo {@code n} (every row of a
 * key falls in the same bucket, so each bucket's GROUP BY is complete). Each task encodes the
 * dimension values with {@link ImpressionKey}, exactly as the Spark path's parser does, so both
 * paths produce the same keys byte for byte. Values are bound parameters; names are checked and
 * quoted ({@link PrestoSql}).
 *
 * <p>A pre-aggregated table has no raw rows to quarantine; what can be wrong with an aggregate
 * row is checked instead: a key dimension that is not valid UTF-8 ({@code invalid_utf8}) or holds a
 * C0 control character or DEL ({@code control_character}), as the raw rows' parser rejects them; an
 * empty or null key dimension ({@code empty_key_component}), a null counter ({@code bad_number}) or
 * a negative one ({@code negative_money}). Such rows are left out and counted by the events they
 * carry ({@link Summary}).
 */
public final class PrestoHourReader {

    /** The per-key rows: the same columns the Spark path aggregates to. */
    public static final StructType SCHEMA = new StructType()
            .add("key", DataTypes.StringType)
            .add("imps", DataTypes.LongType)
            .add("clicks", DataTypes.LongType)
            .add("convs", DataTypes.LongType)
            .add("rev", DataTypes.LongType)
            .add("val", DataTypes.LongType);

    private final PrestoWarehouse warehouse;
    private final String table;
    private final List<String> dimensions;
    private final char separator;
    private final int partitions;

    /**
     * @param warehouse  catalog/schema and the connection
     * @param table      the aggregate table ({@code presto.table})
     * @param dimensions {@code key.dimensions}
     * @param separator  {@code key.separator}
     * @param partitions parallel reads ({@code presto.read-partitions})
     */
    public PrestoHourReader(PrestoWarehouse warehouse, String table, List<String> dimensions, char separator,
            int partitions) {
        this.warehouse = warehouse;
        this.table = table;
        this.dimensions = List.copyOf(dimensions);
        this.separator = separator;
        this.partitions = partitions;
        PrestoSql.id("table", table);
        PrestoSql.ids("key dimension", dimensions);
    }

    /** What the hour holds: all aggregate rows, the events behind them, and the rejected ones by reason. */
    public record Summary(long rows, long events, long badRows, long badEvents, Map<String, Long> badEventsByReason) {
    }

    /**
     * Makes sure Presto knows the table and, when its directory has data files, the hour's
     * partition (written by Spark, or by a Presto whose metastore is not this one); then counts.
     */
    public Summary prepareAndSummarize(HourId hour, boolean hasDataFiles) {
        warehouse.ensureAggTable(table);
        return warehouse.jdbc().run("read hour " + hour + " of " + warehouse.display(table), c -> {
            if (hasDataFiles) {
                warehouse.registerPartition(c, table, hour);
            }
            return summary(c, hour);
        });
    }

    private Summary summary(Connection c, HourId hour) throws SQLException {
        long[] totals = new long[4];
        Map<String, Long> byReason = new TreeMap<>();
        for (Object[] row : PrestoJdbc.query(c, "SELECT reason, count(*), sum(weight) FROM (SELECT " + reasonSql()
                + " AS reason, CASE WHEN events > 0 THEN events ELSE 1 END AS weight FROM " + warehouse.qualified(table)
                + " WHERE dt = ? AND hr = ?) t GROUP BY reason", rs -> new Object[] {rs.getString(1), rs.getLong(2),
                    rs.getLong(3)}, hour.day().toString(), hour.hr())) {
            long rows = (Long) row[1];
            long events = (Long) row[2];
            totals[0] += rows;
            totals[1] += events;
            if (row[0] != null) {
                totals[2] += rows;
                totals[3] += events;
                byReason.put((String) row[0], events);
            }
        }
        return new Summary(totals[0], totals[1], totals[2], totals[3], byReason);
    }

    /** Up to {@code limit} rejected aggregate rows: reason, detail, the table, the row's values tab-separated. */
    public List<PrestoWarehouse.Rejected> rejected(HourId hour, int limit) {
        String columns = PrestoSql.ids("column", allColumns());
        return warehouse.jdbc().query("read rejected rows of " + warehouse.display(table),
                "SELECT reason, " + columns + " FROM (SELECT " + reasonSql() + " AS reason, " + columns + " FROM "
                        + warehouse.qualified(table) + " WHERE dt = ? AND hr = ?) t WHERE reason IS NOT NULL LIMIT "
                        + Math.max(0, limit),
                rs -> {
                    List<String> values = new ArrayList<>();
                    for (int i = 0; i < allColumns().size(); i++) {
                        String v = rs.getString(i + 2);
                        values.add(v == null ? "\\N" : v);
                    }
                    String reason = rs.getString(1);
                    return new PrestoWarehouse.Rejected(reason, detail(reason), warehouse.display(table) + " dt="
                            + hour.day() + " hr=" + hour.hr(), String.join("\t", values));
                }, hour.day().toString(), hour.hr());
    }

    private static String detail(String reason) {
        switch (reason) {
            case "invalid_utf8":
                return "a key dimension is not valid UTF-8";
            case "control_character":
                return "a key dimension contains a control character (U+0000..U+001F or U+007F)";
            case "empty_key_component":
                return "a key dimension is null or empty";
            case "bad_number":
                return "a counter is null";
            default:
                return "a counter is negative";
        }
    }

    private List<String> allColumns() {
        List<String> columns = new ArrayList<>(dimensions);
        columns.addAll(PrestoWarehouse.AGG_COUNTERS);
        return columns;
    }

    /** The reject reason of an aggregate row, null when it is valid. */
    private String reasonSql() {
        StringBuilder sql = new StringBuilder("CASE");
        // the raw parser's text rules (see PrestoWarehouse#BAD_TEXT), one lambda over the dimensions each
        String values = "ARRAY[" + PrestoSql.ids("key dimension", dimensions) + "]";
        sql.append(" WHEN array_position(transform(").append(values)
                .append(", x -> from_utf8(to_utf8(x)) <> x), true) > 0 THEN 'invalid_utf8'");
        sql.append(" WHEN array_position(transform(").append(values).append(", x -> regexp_like(x, '")
                .append(PrestoWarehouse.CONTROLS).append("')), true) > 0 THEN 'control_character'");
        for (String d : dimensions) {
            String q = PrestoSql.id("key dimension", d);
            sql.append(" WHEN ").append(q).append(" IS NULL OR ").append(q).append(" = '' THEN 'empty_key_component'");
        }
        List<String> counters = PrestoWarehouse.AGG_COUNTERS.stream().map(c -> PrestoSql.id("column", c)).toList();
        sql.append(" WHEN ").append(String.join(" IS NULL OR ", counters)).append(" IS NULL THEN 'bad_number'");
        sql.append(" WHEN ").append(String.join(" < 0 OR ", counters)).append(" < 0 THEN 'negative_money'");
        return sql.append(" END").toString();
    }

    /** The query of one bucket. Parameters: day, hour, buckets, bucket. */
    String bucketSql() {
        String dims = PrestoSql.ids("key dimension", dimensions);
        StringBuilder hashed = new StringBuilder();
        for (String d : dimensions) {
            hashed.append(hashed.length() == 0 ? "" : " || chr(31) || ").append(PrestoSql.id("key dimension", d));
        }
        return "SELECT " + dims + ", sum(impressions), sum(clicks), sum(conversions), sum(revenue_micros), "
                + "sum(value_micros) FROM " + warehouse.qualified(table) + " WHERE dt = ? AND hr = ? AND ("
                + reasonSql() + ") IS NULL AND mod(crc32(to_utf8(" + hashed + ")), ?) = ? GROUP BY " + dims;
    }

    /**
     * The hour's per-key rows ({@link #SCHEMA}), read by {@code presto.read-partitions} Spark tasks.
     * Lazy: nothing is read until the dataset is used.
     */
    public Dataset<Row> read(SparkSession spark, HourId hour) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> buckets = IntStream.range(0, partitions).boxed().toList();
        JavaRDD<Row> rows = jsc.parallelize(buckets, partitions).mapPartitions(new BucketReader(warehouse.jdbc(),
                bucketSql(), hour, partitions, dimensions.size(), separator, warehouse.display(table)));
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** One Spark task: its buckets' rows, keys encoded. */
    static final class BucketReader implements FlatMapFunction<Iterator<Integer>, Row> {
        private static final long serialVersionUID = 1L;

        private final PrestoJdbc jdbc;
        private final String sql;
        private final HourId hour;
        private final int buckets;
        private final int dimensions;
        private final char separator;
        private final String table;

        BucketReader(PrestoJdbc jdbc, String sql, HourId hour, int buckets, int dimensions, char separator,
                String table) {
            this.jdbc = jdbc;
            this.sql = sql;
            this.hour = hour;
            this.buckets = buckets;
            this.dimensions = dimensions;
            this.separator = separator;
            this.table = table;
        }

        @Override
        public Iterator<Row> call(Iterator<Integer> ids) {
            ImpressionKey codec = new ImpressionKey(separator);
            List<Row> out = new ArrayList<>();
            while (ids.hasNext()) {
                int bucket = ids.next();
                // one bucket's keys are a fraction of the hour: materialized, then the connection is closed
                out.addAll(jdbc.query("read bucket " + bucket + "/" + buckets + " of " + table + " " + hour, sql, rs -> {
                    String[] components = new String[dimensions];
                    for (int i = 0; i < dimensions; i++) {
                        components[i] = rs.getString(i + 1);
                    }
                    return RowFactory.create(codec.encode(components), rs.getLong(dimensions + 1),
                            rs.getLong(dimensions + 2), rs.getLong(dimensions + 3), rs.getLong(dimensions + 4),
                            rs.getLong(dimensions + 5));
                }, hour.day().toString(), hour.hr(), buckets, bucket));
            }
            return out.iterator();
        }
    }
}
