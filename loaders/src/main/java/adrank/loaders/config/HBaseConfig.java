package adrank.loaders.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;

/**
 * How to reach HBase and lay out its tables ({@code hbase.*}). Serializable so executors can
 * open their own connections from it.
 */
public record HBaseConfig(String zookeeperQuorum, int zookeeperPort, String znodeParent, String namespacePrefix,
        int hourCellTtlDays, int writeBatchRows, int readBatchSize, int presplitRegions, int scanSplitsPerRegion,
        int clientRetries, Duration writerLease, Map<String, String> extra) implements Serializable {

    public HBaseConfig {
        extra = Map.copyOf(extra);
    }

    static HBaseConfig from(Settings s) {
        return new HBaseConfig(
                s.nonEmpty("hbase.zookeeper-quorum"),
                s.intIn("hbase.zookeeper-port", 1, 65535),
                s.nonEmpty("hbase.znode-parent"),
                s.identifier("hbase.namespace-prefix"),
                s.intIn("hbase.hour-cell-ttl-days", 2, 3650),
                s.intIn("hbase.write-batch-rows", 1, 100_000),
                s.intIn("hbase.read-batch-size", 1, 100_000),
                s.intIn("hbase.presplit-regions", 1, 10_000),
                s.intIn("hbase.scan-splits-per-region", 1, 1000),
                s.intIn("hbase.client-retries", 0, 100),
                s.duration("hbase.writer-lease", Duration.ofSeconds(3), Duration.ofHours(6)),
                s.passThrough("hbase.extra"));
    }

    /** The same settings pointing at another ZooKeeper port (tests and the embedded stack). */
    public HBaseConfig withZookeeperPort(int port) {
        return new HBaseConfig(zookeeperQuorum, port, znodeParent, namespacePrefix, hourCellTtlDays, writeBatchRows,
                readBatchSize, presplitRegions, scanSplitsPerRegion, clientRetries, writerLease, extra);
    }

    /** The HBase namespace of a schema. */
    public String namespace(String schema) {
        return namespacePrefix + "_" + schema;
    }

    /** A Hadoop configuration for an HBase client. */
    public Configuration toHadoopConfiguration() {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", zookeeperQuorum);
        conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
        conf.set("zookeeper.znode.parent", znodeParent);
        conf.setInt("hbase.client.retries.number", clientRetries);
        for (Map.Entry<String, String> e : extra.entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        return conf;
    }

    /** Settings for display (status, logs). */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("zookeeper", zookeeperQuorum + ":" + zookeeperPort + znodeParent);
        return out;
    }
}
