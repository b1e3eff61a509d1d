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
        int clientRetries, Duration unreachableTimeout, Duration writerLease, Map<String, String> extra)
        implements Serializable {

    /** HBase's default RPC and scanner timeouts: the bound never lengthens them. */
    private static final long HBASE_DEFAULT_RPC_MS = 60_000;
    /** HBase's default RPC connect timeout ({@code hbase.ipc.client.socket.timeout.connect}). */
    private static final long HBASE_DEFAULT_CONNECT_MS = 10_000;

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
                s.duration("hbase.unreachable-timeout", Duration.ofSeconds(5), Duration.ofHours(1)),
                s.duration("hbase.writer-lease", Duration.ofSeconds(3), Duration.ofHours(6)),
                s.passThrough("hbase.extra"));
    }

    /** The same settings pointing at another ZooKeeper port (tests and the embedded stack). */
    public HBaseConfig withZookeeperPort(int port) {
        return new HBaseConfig(zookeeperQuorum, port, znodeParent, namespacePrefix, hourCellTtlDays, writeBatchRows,
                readBatchSize, presplitRegions, scanSplitsPerRegion, clientRetries, unreachableTimeout, writerLease, extra);
    }

    /** The HBase namespace of a schema. */
    public String namespace(String schema) {
        return namespacePrefix + "_" + schema;
    }

    /** A Hadoop configuration for an HBase client: the cluster, the retries and the bound on waiting for it. */
    public Configuration toHadoopConfiguration() {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", zookeeperQuorum);
        conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
        conf.set("zookeeper.znode.parent", znodeParent);
        conf.setInt("hbase.client.retries.number", clientRetries);
        unreachableBound().forEach(conf::set);
        for (Map.Entry<String, String> e : extra.entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        return conf;
    }

    /**
     * The HBase 2.6 client settings that bound how long an operation waits for a cluster that does not
     * answer ({@code hbase.unreachable-timeout}, T). Without them a run against a dead cluster waited
     * {@code hbase.client.operation.timeout} (20 min by default) in every executor batch: a multi-get
     * or batch locates each row's region in turn, each lookup trying {@code client-retries + 1} times
     * to read the meta location from ZooKeeper (10 s each), about a minute per row, and checks the
     * operation timeout only before each row.
     *
     * <ul>
     * <li>{@code hbase.client.operation.timeout} and {@code hbase.client.meta.operation.timeout} = T:
     * a batch checks it before each row's region lookup, a single operation between its tries, so an
     * operation ends at most one lookup after T. (When a batch does run out of it, the 2.6.1 client
     * throws an {@code AssertionError}, HBASE-27781; {@code BatchWriter} turns it back into the
     * exception it means.)</li>
     * <li>Each try of a region lookup = T / (2 x (client-retries + 1)), at least 1 s, so a whole lookup
     * takes about T / 2 (plus the client's pauses, 2 s for 5 retries): reading the meta location from
     * ZooKeeper ({@code zookeeper.registry.async.get.timeout}), scanning {@code hbase:meta}
     * ({@code hbase.client.meta.read.rpc.timeout}, {@code hbase.client.meta.scanner.timeout.period})
     * and connecting to a server ({@code hbase.ipc.client.socket.timeout.connect}, at most its default
     * 10 s).</li>
     * <li>{@code hbase.rpc.timeout} (reads and writes) and {@code hbase.client.scanner.timeout.period}
     * (a scanner's retries) = T, at most their default 60 s.</li>
     * <li>The ZooKeeper client under a lookup retries a read for about one try, 1 s apart
     * ({@code zookeeper.recovery.retry}; 30 by default, retried on in the background after the lookup
     * gave up), and its session timeout, of which it spends a share per quorum host connecting, is T
     * ({@code zookeeper.session.timeout}, 90 s by default).</li>
     * </ul>
     * Keys in {@code hbase.extra} override these.
     */
    public Map<String, String> unreachableBound() {
        long bound = unreachableTimeout.toMillis();
        long tryMs = Math.max(1_000, bound / (2L * (clientRetries + 1)));
        long rpcMs = Math.min(bound, HBASE_DEFAULT_RPC_MS);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hbase.client.operation.timeout", Long.toString(bound));
        settings.put("hbase.client.meta.operation.timeout", Long.toString(bound));
        settings.put("hbase.rpc.timeout", Long.toString(rpcMs));
        settings.put("hbase.client.scanner.timeout.period", Long.toString(rpcMs));
        settings.put("zookeeper.registry.async.get.timeout", Long.toString(tryMs));
        settings.put("hbase.client.meta.read.rpc.timeout", Long.toString(tryMs));
        settings.put("hbase.client.meta.scanner.timeout.period", Long.toString(tryMs));
        settings.put("hbase.ipc.client.socket.timeout.connect", Long.toString(Math.min(tryMs, HBASE_DEFAULT_CONNECT_MS)));
        settings.put("zookeeper.recovery.retry", Long.toString(Math.max(1, tryMs / 1_000)));
        settings.put("zookeeper.recovery.retry.intervalmill", "1000");
        settings.put("zookeeper.session.timeout", Long.toString(bound));
        return settings;
    }

    /** Where the cluster is, as messages name it: {@code ZooKeeper 127.0.0.1:21810}. */
    public String zookeeperAddress() {
        StringBuilder hosts = new StringBuilder();
        for (String host : zookeeperQuorum.split(",")) {
            if (hosts.length() > 0) {
                hosts.append(',');
            }
            String h = host.trim();
            hosts.append(h.contains(":") ? h : h + ":" + zookeeperPort);
        }
        return "ZooKeeper " + hosts;
    }

    /** The bound the way messages show it, in seconds: {@code hbase.unreachable-timeout = 60s}. */
    public String unreachableTimeoutSetting() {
        long ms = unreachableTimeout.toMillis();
        return "hbase.unreachable-timeout = " + (ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms");
    }

    /** Settings for display (status, logs). */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("zookeeper", zookeeperQuorum + ":" + zookeeperPort + znodeParent);
        return out;
    }
}
