package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.io.ImmutableBytesWritable;
import org.apache.hadoop.hbase.mapreduce.TableInputFormat;
import org.apache.hadoop.hbase.mapreduce.TableMapReduceUtil;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Table scans read by the executors (one task per region, or more with
 * {@code splitsPerRegion}), never through the driver.
 */
public final class TableScans {

    private TableScans() {
    }

    /**
     * The rows of {@code table} matching {@code scan}. {@link Result}s are not serializable: map
     * them to values in the same stage.
     */
    public static JavaPairRDD<ImmutableBytesWritable, Result> rows(SparkSession spark, HBaseConfig hbase,
            TableName table, Scan scan, int splitsPerRegion) {
        Configuration conf = hbase.toHadoopConfiguration();
        conf.set(TableInputFormat.INPUT_TABLE, table.getNameAsString());
        try {
            conf.set(TableInputFormat.SCAN, TableMapReduceUtil.convertScanToString(scan));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        conf.setInt("hbase.mapreduce.tableinput.mappers.per.region", Math.max(1, splitsPerRegion));
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
                .newAPIHadoopRDD(conf, TableInputFormat.class, ImmutableBytesWritable.class, Result.class);
    }
}
