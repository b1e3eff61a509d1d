package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.properties.ClusterProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single Hazelcast member in this JVM, reachable on 127.0.0.1 only: what {@code rank local up}
 * runs next to the embedded HBase, and what tests use. TCP-IP join with itself as the only
 * member (no multicast, no auto-detection), so it never joins or disturbs anything else on the
 * network; phone-home off; small thread pools for a 2-core machine. Production runs a real
 * cluster and clients connect to {@code hazelcast.members}.
 */
public final class EmbeddedHazelcast implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedHazelcast.class);
    private static final String HOST = "127.0.0.1";

    private final HazelcastInstance member;
    private final int port;
    private final HazelcastConfig config;

    private EmbeddedHazelcast(HazelcastInstance member, int port, HazelcastConfig config) {
        this.member = member;
        this.port = port;
        this.config = config;
    }

    /**
     * Starts a member of {@code hz.clusterName()} on 127.0.0.1:{@code hz.localPort()} (0: any free
     * port).
     */
    public static EmbeddedHazelcast start(HazelcastConfig hz) {
        int port = hz.localPort() == 0 ? freePort() : hz.localPort();
        Config config = new Config();
        config.setClusterName(hz.clusterName());
        config.setInstanceName("adrank-" + hz.clusterName() + "-" + port);
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).setInterfaces(List.of(HOST));
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.of(HOST + ":" + port));
        config.getJetConfig().setEnabled(false);
        config.setProperty(ClusterProperty.SOCKET_BIND_ANY.getName(), "false");
        config.setProperty(ClusterProperty.PHONE_HOME_ENABLED.getName(), "false");
        config.setProperty(ClusterProperty.LOGGING_TYPE.getName(), "slf4j");
        config.setProperty(ClusterProperty.PARTITION_COUNT.getName(), String.valueOf(hz.localPartitionCount()));
        // alone by design: nobody to wait for before becoming master
        config.setProperty(ClusterProperty.WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        config.setProperty(ClusterProperty.MAX_WAIT_SECONDS_BEFORE_JOIN.getName(), "0");
        config.setProperty(ClusterProperty.PARTITION_OPERATION_THREAD_COUNT.getName(), "2");
        config.setProperty(ClusterProperty.GENERIC_OPERATION_THREAD_COUNT.getName(), "2");
        config.setProperty(ClusterProperty.EVENT_THREAD_COUNT.getName(), "2");
        config.setProperty(ClusterProperty.CLIENT_ENGINE_THREAD_COUNT.getName(), "2");
        config.setProperty(ClusterProperty.CLIENT_ENGINE_QUERY_THREAD_COUNT.getName(), "2");
        config.setProperty(ClusterProperty.IO_INPUT_THREAD_COUNT.getName(), "1");
        config.setProperty(ClusterProperty.IO_OUTPUT_THREAD_COUNT.getName(), "1");
        config.setProperty(ClusterProperty.MC_EXECUTOR_THREAD_COUNT.getName(), "1");
        SnapshotSerialization.register(config.getSerializationConfig());
        long started = System.nanoTime();
        HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
        LOG.info("embedded Hazelcast member of cluster '{}' up on {}:{} in {} ms", hz.clusterName(), HOST, port,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedHazelcast(member, port, hz.withLocalPort(port).withMembers(List.of(HOST + ":" + port)));
    }

    /** The port the member listens on (127.0.0.1 only). */
    public int port() {
        return port;
    }

    /**
     * The configuration a client of this member uses: its address as the only member (and its
     * port as {@code local-port}, so a restart from it comes back on the same address).
     */
    public HazelcastConfig clientConfig() {
        return config;
    }

    /** Stops the member at once (its data is gone: snapshots are re-published from HBase). */
    @Override
    public void close() {
        member.getLifecycleService().terminate();
        LOG.info("embedded Hazelcast member on {}:{} stopped", HOST, port);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
