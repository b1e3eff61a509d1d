package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.filter.RandomRowFilter;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.mapreduce.MultiTableInputFormat;
import org.apache.hadoop.hbase.mapreduce.TableMapReduceUtil;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table scan split into tasks of about equal row counts, at the quantiles of a sample of the rows
 * the scan returns. {@link TableScans} splits a region uniformly in byte space between its first and
 * last key; encoded keys are text (digits and letters after a common prefix such as {@code ad0}), so
 * most of that byte space holds no key and nearly every row lands in one or two of the splits
 * (measured on the publish of 115 k generated keys: 98 k rows in one of 16 splits, 14 splits empty):
 * one core scans while the other idles.
 *
 * <p>The sample is a keys-only scan on the driver that returns one row in {@value #SAMPLE_EVERY}
 * (the region server still steps over every row, but sends back almost nothing). The boundaries only
 * decide which task reads a row: the first split starts at the table's start and the last ends at its
 * end, so every row is read exactly once whatever the sample was.
 */
public final class BalancedScans {

    private static final Logger LOG = LoggerFactory.getLogger(BalancedScans.class);
    /** One sampled row in this many. */
    static final int SAMPLE_EVERY = 200;

    private BalancedScans() {
    }

    /**
     * The rows of {@code table} matching {@code scan} in about {@code splits} tasks of equal row
     * counts (fewer when the table has few rows; each task may further split at region boundaries).
     * {@link Result}s are not serializable: map them to values in the same stage.
     */
    public static JavaPairRDD<ImmutableBytesWritable, Result> rows(SparkSession spark, HBaseConfig hbase,
            TableName table, Scan scan, int splits) {
        return rows(spark, hbase, table, scan, boundaries(hbase, table, scan, splits));
    }

    /**
     * The boundaries of about {@code splits} key ranges of equal row counts of what {@code scan} returns
     * from {@code table}, for {@link #rows(SparkSession, HBaseConfig, TableName, Scan, List)}: sample once,
     * scan as often as needed.
     */
    public static List<byte[]> boundaries(HBaseConfig hbase, TableName table, Scan scan, int splits) {
        long started = System.nanoTime();
        List<byte[]> sample = sample(hbase.toHadoopConfiguration(), table, scan);
        List<byte[]> bounds = boundaries(sample, splits);
        LOG.info("{} split in {} key ranges at the quantiles of {} sampled rows (sampled in {} ms)", table,
                bounds.size() + 1, sample.size(), (System.nanoTime() - started) / 1_000_000);
        return bounds;
    }

    /** The rows of {@code table} matching {@code scan}, one task per key range between {@code bounds}. */
    public static JavaPairRDD<ImmutableBytesWritable, Result> rows(SparkSession spark, HBaseConfig hbase,
            TableName table, Scan scan, List<byte[]> bounds) {
        Configuration conf = hbase.toHadoopConfiguration();
        List<String> scans = new ArrayList<>();
        byte[] start = scan.getStartRow();
        for (int i = 0; i <= bounds.size(); i++) {
            byte[] stop = i < bounds.size() ? bounds.get(i) : scan.getStopRow();
            try {
                Scan part = new Scan(scan).withStartRow(start).withStopRow(stop);
                part.setAttribute(Scan.SCAN_ATTRIBUTES_TABLE_NAME, table.getName());
                scans.add(TableMapReduceUtil.convertScanToString(part));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            start = stop;
        }
        conf.setStrings(MultiTableInputFormat.SCANS, scans.toArray(String[]::new));
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
                .newAPIHadoopRDD(conf, MultiTableInputFormat.class, ImmutableBytesWritable.class, Result.class);
    }

    /**
     * At most {@code splits - 1} strictly increasing boundaries that cut a sorted sample into parts of
     * equal size: the sample's element at every {@code size / splits}-th place. Pure.
     */
    public static List<byte[]> boundaries(List<byte[]> sortedSample, int splits) {
        if (splits < 1) {
            throw new IllegalArgumentException("splits must be at least 1, got " + splits);
        }
        List<byte[]> bounds = new ArrayList<>();
        int n = sortedSample.size();
        for (int i = 1; i < splits && n > 0; i++) {
            byte[] bound = sortedSample.get((int) ((long) i * n / splits));
            if (bounds.isEmpty() || Bytes.compareTo(bounds.get(bounds.size() - 1), bound) < 0) {
                bounds.add(bound);
            }
        }
        return bounds;
    }

    /** The row keys of about one in {@value #SAMPLE_EVERY} rows {@code scan} returns, in key order. */
    private static List<byte[]> sample(Configuration conf, TableName table, Scan scan) {
        FilterList filters = new FilterList(FilterList.Operator.MUST_PASS_ALL);
        filters.addFilter(new RandomRowFilter(1f / SAMPLE_EVERY));
        if (scan.getFilter() != null) {
            filters.addFilter(scan.getFilter());
        }
        filters.addFilter(new FirstKeyOnlyFilter());
        filters.addFilter(new KeyOnlyFilter());
        List<byte[]> keys = new ArrayList<>();
        try (Connection connection = ConnectionFactory.createConnection(conf);
                Table t = connection.getTable(table);
                ResultScanner scanner = t.getScanner(new Scan(scan).setFilter(filters).setCaching(10_000)
                        .setCacheBlocks(false))) {
            for (Result r : scanner) {
                keys.add(r.getRow());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sample the keys of " + table, e);
        }
        return keys;
    }

}
