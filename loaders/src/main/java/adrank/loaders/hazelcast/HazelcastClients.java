package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.client.properties.ClientProperty;
import com.hazelcast.core.HazelcastInstance;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens Hazelcast clients with adrank's serializers, a bounded connect time and errors that name
 * the addresses tried (the default client would retry for minutes and then say "Unable to
 * connect to any cluster").
 */
public final class HazelcastClients {

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private HazelcastClients() {
    }

    /**
     * A client for publishing and loading: after a disconnect, operations wait for the reconnect
     * (up to {@code hazelcast.invocation-timeout}) rather than fail.
     */
    public static HazelcastInstance connect(HazelcastConfig hz) {
        return connect(hz, ReconnectMode.ON, "adrank");
    }

    /**
     * A client for serving lookups: after a disconnect, it reconnects in the background and
     * operations fail at once, so a lookup can answer from its cache instead of waiting.
     */
    public static HazelcastInstance connectForReading(HazelcastConfig hz) {
        return connect(hz, ReconnectMode.ASYNC, "adrank-reader");
    }

    private static HazelcastInstance connect(HazelcastConfig hz, ReconnectMode reconnect, String name) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(hz.clusterName());
        config.setInstanceName(name + "-" + CLIENTS.incrementAndGet());
        config.getNetworkConfig().setAddresses(hz.members());
        config.getConnectionStrategyConfig().setReconnectMode(reconnect).getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(hz.connectTimeout().toMillis())
                .setInitialBackoffMillis(100)
                .setMaxBackoffMillis(2000);
        config.setProperty(ClientProperty.INVOCATION_TIMEOUT_SECONDS.getName(),
                String.valueOf(Math.max(1, hz.invocationTimeout().toSeconds())));
        config.setProperty("hazelcast.logging.type", "slf4j");
        SnapshotSerialization.register(config.getSerializationConfig());
        try {
            return HazelcastClient.newHazelcastClient(config);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no Hazelcast member of cluster '" + hz.clusterName() + "' answered at "
                    + hz.members() + " within " + hz.connectTimeout().toMillis()
                    + " ms (hazelcast.members / hazelcast.cluster-name / hazelcast.connect-timeout)", e);
        }
    }
}
