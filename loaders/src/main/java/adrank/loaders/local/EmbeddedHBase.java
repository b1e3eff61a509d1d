package adrank.loaders.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.LocalHBaseCluster;
import org.apache.hadoop.hbase.master.HMaster;
import org.apache.hadoop.hbase.regionserver.HRegionServer;
import org.apache.hadoop.hbase.zookeeper.MasterAddressTracker;
import org.apache.hadoop.hbase.zookeeper.MiniZooKeeperCluster;
import org.apache.hadoop.hbase.zookeeper.ZKUtil;
import org.apache.hadoop.hbase.zookeeper.ZKWatcher;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone HBase (ZooKeeper, master and one region server in this JVM) whose data lives on
 * the local file system under one directory, so it survives restarts: what {@code rank local up}
 * runs. Production uses a real cluster by ZooKeeper quorum instead.
 */
public final class EmbeddedHBase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHBase.class);

    /**
     * ZooKeeper session timeout of the stack's own master and region server, as HBase's standalone
     * mode sets it ({@code zookeeper.session.timeout.localHBaseCluster}). ZooKeeper persists sessions
     * in its data directory, so after a crash the dead master's session comes back with its
     * {@code /hbase/master} znode and blocks the new master until it expires: this bounds that wait.
     */
    private static final int SESSION_TIMEOUT_MS = 10_000;

    private final MiniZooKeeperCluster zookeeper;
    private final LocalHBaseCluster cluster;
    private final int zookeeperPort;

    private EmbeddedHBase(MiniZooKeeperCluster zookeeper, LocalHBaseCluster cluster, int zookeeperPort) {
        this.zookeeper = zookeeper;
        this.cluster = cluster;
        this.zookeeperPort = zookeeperPort;
    }

    /** Starts ZooKeeper on {@code zookeeperPort} and HBase with its root under {@code dataDir}. */
    public static EmbeddedHBase start(Path dataDir, int zookeeperPort) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.rootdir", dataDir.resolve("root").toUri().toString());
        conf.set("hbase.zookeeper.property.dataDir", dataDir.resolve("zookeeper").toString());
        conf.setInt("hbase.zookeeper.property.clientPort", zookeeperPort);
        conf.set("hbase.zookeeper.quorum", "127.0.0.1");
        conf.setBoolean("hbase.cluster.distributed", false);
        // the local file system has no hflush/hsync capability checks to pass
        conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
        conf.set("hbase.master.hostname", "127.0.0.1");
        conf.set("hbase.regionserver.hostname", "127.0.0.1");
        conf.setInt("hbase.master.port", 0);
        conf.setInt("hbase.regionserver.port", 0);
        // no web UIs: they cost start time and ports
        conf.setInt("hbase.master.info.port", -1);
        conf.setInt("hbase.regionserver.info.port", -1);
        conf.setInt("zookeeper.session.timeout", SESSION_TIMEOUT_MS);
        // LocalHBaseCluster gives the master 30 s to become active, less than a crashed run's sessions
        // may take to expire (those of a run before this timeout was set last 40 s, the server's cap)
        conf.setInt("hbase.master.start.timeout.localHBaseCluster", 120_000);

        MiniZooKeeperCluster zookeeper = new MiniZooKeeperCluster(conf);
        zookeeper.setDefaultClientPort(zookeeperPort);
        int port = zookeeper.startup(dataDir.resolve("zookeeper").toFile());
        if (port != zookeeperPort) {
            zookeeper.shutdown();
            throw new IOException("ZooKeeper port " + zookeeperPort + " is taken (got " + port + ")");
        }
        logCrashedRun(conf);
        LocalHBaseCluster cluster = new LocalHBaseCluster(conf, 1, 1, HMaster.class, HRegionServer.class);
        cluster.startup();
        HMaster master = cluster.getActiveMaster();
        long deadline = System.currentTimeMillis() + 120_000;
        while ((master == null || !master.isInitialized()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            master = cluster.getActiveMaster();
        }
        if (master == null || !master.isInitialized()) {
            cluster.shutdown();
            zookeeper.shutdown();
            throw new IOException("HBase master did not initialize within 120 s");
        }
        LOG.info("embedded HBase up: zookeeper 127.0.0.1:{}, data {}", zookeeperPort, dataDir);
        return new EmbeddedHBase(zookeeper, cluster, zookeeperPort);
    }

    /**
     * A master still registered in the freshly started ZooKeeper is one of a run that was killed
     * (a clean stop removes it): says that HBase takes over after its session expires.
     */
    private static void logCrashedRun(Configuration conf) throws IOException {
        try (ZKWatcher zk = new ZKWatcher(conf, "adrank-crash-check", null)) {
            if (ZKUtil.checkExists(zk, zk.getZNodePaths().masterAddressZNode) != -1) {
                LOG.warn("the previous run did not stop cleanly (its master {} is still in ZooKeeper): HBase takes"
                        + " over when its session expires and replays its write-ahead log",
                        MasterAddressTracker.getMasterAddress(zk));
            }
        } catch (KeeperException e) {
            throw new IOException("cannot read the embedded ZooKeeper: " + e.getMessage(), e);
        }
    }

    public int zookeeperPort() {
        return zookeeperPort;
    }

    /** Stops HBase cleanly (memstores are flushed, so the data is on disk) and then ZooKeeper. */
    @Override
    public void close() throws IOException {
        cluster.shutdown();
        cluster.join();
        zookeeper.shutdown();
        LOG.info("embedded HBase stopped");
    }
}
