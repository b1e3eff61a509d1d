package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.client.properties.ClientProperty;
import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.config.matcher.RegexConfigPatternMatcher;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.core.LifecycleListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens Hazelcast clients with adrank's serializers, a bounded connect time and errors that name
 * the addresses tried (the default client would retry for minutes and then say "Unable to
 * connect to any cluster").
 */
public final class HazelcastClients {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** The names of the parents maps ({@link SnapshotMaps#parents}) as a regular expression. */
    static final String PARENTS_MAPS = "^rank\\.[a-z][a-z0-9_]*\\.parents\\.v[0-9]+$";

    private HazelcastClients() {
    }

    /**
     * A client for publishing and loading (batch work): after a disconnect, operations wait for
     * the reconnect (up to {@code hazelcast.invocation-timeout}); if no member answers within
     * {@code hazelcast.connect-timeout}, at start or later, the client shuts down and the job fails.
     */
    public static HazelcastInstance connect(HazelcastConfig hz) {
        ClientConfig config = base(hz, "adrank");
        config.getConnectionStrategyConfig().setReconnectMode(ReconnectMode.ON).getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(hz.connectTimeout().toMillis());
        try {
            return HazelcastClient.newHazelcastClient(config);
        } catch (IllegalStateException e) {
            throw unreachable(hz, e);
        }
    }

    /**
     * A client for serving lookups (long-running ad servers): it must reach a member within
     * {@code hazelcast.connect-timeout} at start, but after a disconnect it keeps reconnecting in
     * the background for as long as it lives, and operations fail at once meanwhile, so a
     * lookup can answer from its cache instead of waiting.
     */
    public static HazelcastInstance connectForReading(HazelcastConfig hz) {
        return connectForReading(hz, 0);
    }

    /**
     * {@link #connectForReading(HazelcastConfig)} with a near cache of up to {@code parentsNearCacheEntries}
     * entries (least recently used beyond it; 0: none) in front of every parents map
     * ({@code rank.<schema>.parents.v<N>}). Parents are what most candidate keys of a request fall back
     * to, many keys share each, and a READY version's maps never change; invalidation stays on for the
     * rare map of the same name loaded again (a LOADING version after a whole cluster restarted). Entries
     * are kept as objects (a {@link SnapshotEntry} is immutable), so a hit costs no deserialization.
     */
    public static HazelcastInstance connectForReading(HazelcastConfig hz, int parentsNearCacheEntries) {
        ClientConfig config = base(hz, "adrank-reader");
        if (parentsNearCacheEntries > 0) {
            // names are regular expressions from here on (the client config names nothing else)
            config.setConfigPatternMatcher(new RegexConfigPatternMatcher());
            config.addNearCacheConfig(new NearCacheConfig(PARENTS_MAPS).setInMemoryFormat(InMemoryFormat.OBJECT)
                    .setInvalidateOnChange(true).setEvictionConfig(new EvictionConfig()
                            .setEvictionPolicy(EvictionPolicy.LRU).setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT)
                            .setSize(parentsNearCacheEntries)));
        }
        CountDownLatch connected = new CountDownLatch(1);
        config.addListenerConfig(new ListenerConfig((LifecycleListener) event -> {
            if (event.getState() == LifecycleState.CLIENT_CONNECTED) {
                connected.countDown();
            }
        }));
        config.getConnectionStrategyConfig().setAsyncStart(true).setReconnectMode(ReconnectMode.ASYNC)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(-1);
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        boolean ok;
        try {
            ok = connected.await(hz.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        if (!ok) {
            client.shutdown();
            throw unreachable(hz, null);
        }
        return client;
    }

    private static ClientConfig base(HazelcastConfig hz, String name) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(hz.clusterName());
        config.setInstanceName(name + "-" + CLIENTS.incrementAndGet());
        config.getNetworkConfig().setAddresses(hz.members());
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setInitialBackoffMillis(100)
                .setMaxBackoffMillis(2000);
        config.setProperty(ClientProperty.INVOCATION_TIMEOUT_SECONDS.getName(),
                String.valueOf(Math.max(1, hz.invocationTimeout().toSeconds())));
        config.setProperty("hazelcast.logging.type", "slf4j");
        SnapshotSerialization.register(config.getSerializationConfig());
        return config;
    }

    private static IllegalStateException unreachable(HazelcastConfig hz, Exception cause) {
        return new IllegalStateException("no Hazelcast member of cluster '" + hz.clusterName() + "' answered at "
                + hz.members() + " within " + hz.connectTimeout().toMillis()
                + " ms (hazelcast.members / hazelcast.cluster-name / hazelcast.connect-timeout)", cause);
    }
}
