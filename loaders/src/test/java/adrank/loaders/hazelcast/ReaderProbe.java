package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import adrank.loaders.config.KeyConfig;
import adrank.loaders.config.ReaderConfig;
import java.time.Duration;
import java.util.List;

/**
 * What an ad server does, run by {@link ReaderClasspathTest} in a JVM whose classpath holds only
 * Hazelcast, SLF4J's API, adrank-udfs and adrank-loaders' classes: connects a reader, looks one
 * key up and prints what answered.
 */
public final class ReaderProbe {

    private ReaderProbe() {
    }

    public static void main(String[] args) {
        for (String absent : List.of("org.apache.spark.SparkContext", "org.apache.hadoop.hbase.client.Connection",
                "com.typesafe.config.Config")) {
            try {
                Class.forName(absent);
                System.out.println("unexpectedly present: " + absent);
            } catch (ClassNotFoundException expected) {
                // the point of the probe
            }
        }
        HazelcastConfig hz = new HazelcastConfig(args[0], List.of(args[1]), 0, 31, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        ReaderConfig reader = new ReaderConfig(Duration.ofHours(1), 1000, Duration.ofMillis(500), Duration.ofSeconds(10),
                List.of(List.of("geo", "device"), List.of()));
        KeyConfig key = new KeyConfig(List.of("ad_id", "geo", "device", "os", "browser", "connection"), '|');
        try (RankReader ranks = RankReader.connect(hz, reader, key, args[2])) {
            Lookup lookup = ranks.lookup(args[3], "unit-1");
            System.out.println("version=" + lookup.version() + " source=" + lookup.source() + " rank="
                    + lookup.entry().rank());
        }
    }
}
