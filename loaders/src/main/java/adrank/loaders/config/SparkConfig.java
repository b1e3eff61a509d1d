package adrank.loaders.config;

import java.util.Map;

/** The Spark session ({@code spark.*}). An empty master leaves it to spark-submit. */
public record SparkConfig(String master, String appName, int shufflePartitions, boolean ui, boolean progress,
        Map<String, String> conf) {

    public SparkConfig {
        conf = Map.copyOf(conf);
    }

    static SparkConfig from(Settings s) {
        return new SparkConfig(
                s.string("spark.master"),
                s.nonEmpty("spark.app-name"),
                s.intIn("spark.shuffle-partitions", 1, 100_000),
                s.bool("spark.ui"),
                s.bool("spark.progress"),
                s.passThrough("spark.conf"));
    }
}
