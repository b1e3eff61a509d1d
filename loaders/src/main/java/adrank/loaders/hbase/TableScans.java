package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.mapreduce.TableInputFormat;
import org.apache.hadoop.hbase.mapreduce.TableMapReduceUtil;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Table scans read by the executors, never through the driver. */
public final class TableScans {

    private TableScans() {
    }

    /**
     * The rows of {@code table} matching {@code scan}, read in {@code hbase.scan-splits-per-region}
     * tasks per region. {@link Result}s are not serializable: map them to values in the same stage.
     *
     * <p>TableInputFormat splits a region uniformly between its start and end keys, which for an
     * unsplit table are empty, so every key would land in one task. The scan is therefore bounded
     * by the table's first and last row first, and the uniform split happens over the keys that
     * really exist.
     */
    public static JavaPairRDD<ImmutableBytesWritable, Result> rows(SparkSession spark, HBaseConfig hbase,
            TableName table, Scan scan) {
        Configuration conf = hbase.toHadoopConfiguration();
        int splitsPerRegion = hbase.scanSplitsPerRegion();
        if (splitsPerRegion > 1 && scan.getStartRow().length == 0 && scan.getStopRow().length == 0
                && !boundByExistingRows(conf, table, scan)) {
            splitsPerRegion = 1; // one row (or none): nothing to split, and a uniform split of it fails
        }
        conf.set(TableInputFormat.INPUT_TABLE, table.getNameAsString());
        try {
            conf.set(TableInputFormat.SCAN, TableMapReduceUtil.convertScanToString(scan));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (splitsPerRegion > 1) {
            conf.setInt("hbase.mapreduce.tableinput.mappers.per.region", splitsPerRegion);
        }
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
                .newAPIHadoopRDD(conf, TableInputFormat.class, ImmutableBytesWritable.class, Result.class);
    }

    /** Bounds the scan by the first and last existing row; false when the table has fewer than two rows. */
    private static boolean boundByExistingRows(Configuration conf, TableName table, Scan scan) {
        try (Connection connection = ConnectionFactory.createConnection(conf);
                Table t = connection.getTable(table)) {
            byte[] first = edgeRow(t, new Scan().setLimit(1).setFilter(new FirstKeyOnlyFilter()));
            byte[] last = edgeRow(t, new Scan().setReversed(true).setLimit(1).setFilter(new FirstKeyOnlyFilter()));
            if (first == null || last == null || Bytes.equals(first, last)) {
                return false;
            }
            // stop row is exclusive: the last key plus a zero byte is the smallest key after it
            scan.withStartRow(first).withStopRow(Bytes.add(last, new byte[] {0}));
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key range of " + table, e);
        }
    }

    private static byte[] edgeRow(Table table, Scan scan) throws IOException {
        try (ResultScanner scanner = table.getScanner(scan)) {
            Result result = scanner.next();
            return result == null ? null : result.getRow();
        }
    }
}
