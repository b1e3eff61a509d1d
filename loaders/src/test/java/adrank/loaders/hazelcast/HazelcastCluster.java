package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import adrank.loaders.config.KeyConfig;
import adrank.loaders.config.PublishConfig;
import adrank.loaders.config.ReaderConfig;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One real Hazelcast member on loopback and one real client of it, started once per test JVM
 * (root store) and shared by every test that declares a {@link Cluster} parameter. Tests keep
 * apart by schema: {@link Cluster#newSchema} hands out fresh ones.
 */
public final class HazelcastCluster implements BeforeAllCallback, ParameterResolver {

    static final KeyConfig KEY = new KeyConfig(List.of("ad_id", "geo", "device", "os", "browser", "connection"), '|');
    static final List<List<String>> SEGMENTS = List.of(List.of("ad_id", "geo", "device"), List.of("ad_id", "geo"),
            List.of("geo", "device"), List.of());
    /** The rule the test publishes record: {@link #SEGMENTS}, first parent with a CPM. */
    static final FallbackRule FALLBACK = FallbackRule.of(KEY, SEGMENTS, 0);

    /** Settings for a throw-away member on any free port. */
    static HazelcastConfig hazelcastConfig(String clusterName) {
        return new HazelcastConfig(clusterName, List.of("127.0.0.1:5701"), 0, 31, Duration.ofSeconds(5),
                Duration.ofSeconds(10));
    }

    /** A reader that follows the control entry by its listener alone (the periodic re-read is 1 h away). */
    static ReaderConfig readerConfig(Duration ttl) {
        return readerConfig(ttl, Duration.ofHours(1));
    }

    static ReaderConfig readerConfig(Duration ttl, Duration controlRefresh) {
        return new ReaderConfig(ttl, 100_000, Duration.ofMillis(500), controlRefresh, SEGMENTS);
    }

    static PublishConfig publishConfig(int retain) {
        return new PublishConfig(retain, "none", 500, java.time.Duration.ZERO);
    }

    /** The running member and client. */
    public static final class Cluster implements ExtensionContext.Store.CloseableResource {
        private static final AtomicInteger SCHEMAS = new AtomicInteger();

        final EmbeddedHazelcast member;
        final HazelcastInstance client;

        Cluster() {
            member = EmbeddedHazelcast.start(hazelcastConfig("adrank-test"));
            client = HazelcastClients.connect(member.clientConfig());
        }

        String newSchema(String name) {
            return name + "_" + SCHEMAS.incrementAndGet();
        }

        HazelcastConfig clientConfig() {
            return member.clientConfig();
        }

        SnapshotPublisher publisher(int retain) {
            return new SnapshotPublisher(client, publishConfig(retain), KEY.dimensions());
        }

        @Override
        public void close() {
            client.shutdown();
            member.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    private static Cluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Cluster.class, k -> new Cluster(), Cluster.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Cluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return cluster(extension);
    }
}
