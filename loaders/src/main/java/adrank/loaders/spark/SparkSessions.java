package adrank.loaders.spark;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.MetastoreConfig;
import adrank.loaders.config.SparkConfig;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds (or reuses) the process's Spark session from config. */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * The session for this configuration; {@code spark.master} applies unless spark-submit chose
     * the master. Hive support (and the metastore) is only enabled when
     * the input is read through the metastore; an embedded Derby metastore lives under
     * {@code metastore.derby-dir}.
     */
    public static SparkSession getOrCreate(AdrankConfig config) {
        SparkConfig spark = config.spark();
        SparkSession.Builder builder = SparkSession.builder().appName(spark.appName());
        // under spark-submit (which sets the spark.master system property) its --master wins
        if (!spark.master().isEmpty() && System.getProperty("spark.master") == null) {
            builder.master(spark.master());
        }
        builder.config("spark.sql.shuffle.partitions", spark.shufflePartitions())
                .config("spark.ui.enabled", spark.ui())
                .config("spark.ui.showConsoleProgress", spark.progress())
                // hr=05 must stay the string "05", not become the integer 5
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC");
        MetastoreConfig metastore = config.metastore();
        builder.config("spark.sql.warehouse.dir", metastore.warehouseDir());
        if (config.input().viaMetastore()) {
            builder.enableHiveSupport();
            if (metastore.embedded()) {
                String url = "jdbc:derby:;databaseName=" + metastore.derbyDir().resolve("metastore_db") + ";create=true";
                builder.config("spark.hadoop.javax.jdo.option.ConnectionURL", url)
                        .config("spark.hadoop.datanucleus.schema.autoCreateAll", "true")
                        .config("spark.hadoop.hive.metastore.schema.verification", "false");
                // Derby writes derby.log into the working directory unless told otherwise.
                System.setProperty("derby.stream.error.file", config.logDir().resolve("derby.log").toString());
                config.logDir().toFile().mkdirs();
            } else {
                builder.config("spark.hadoop.hive.metastore.uris", metastore.uri());
            }
        }
        for (Map.Entry<String, String> e : spark.conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        return builder.getOrCreate();
    }
}
