package adrank.jobs;

import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.spark.SparkSessions;
import adrank.loaders.hazelcast.EmbeddedHazelcast;
import adrank.loaders.presto.PrestoDistribution;
import adrank.loaders.presto.PrestoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseTestingUtility;
import org.apache.hadoop.hbase.StartMiniClusterOption;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The expensive services, started once per test JVM and shared by every integration test: a
 * real HBase mini cluster (ZooKeeper, master, region server on the local file system), a real
 * Hazelcast member on loopback and, on first use, Spark in local mode with a real Hive metastore
 * on embedded Derby. Each test gets
 * its own HBase namespace (schema), Hive database and data directory, so tests never see each
 * other's state. Stopped by JUnit when the root context closes.
 */
public final class AdrankStack implements BeforeAllCallback, ParameterResolver {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    /** The running services (one per JVM). */
    public static final class Services implements ExtensionContext.Store.CloseableResource {
        private final HBaseTestingUtility hbase;
        private final EmbeddedHazelcast hazelcast;
        private final Path root;
        private PrestoServer presto;
        private boolean sparkStarted;

        Services() throws Exception {
            root = Files.createTempDirectory("adrank-it-");
            Configuration conf = HBaseTestingUtility.createLocalHTU().getConfiguration();
            conf.setBoolean("hbase.unsafe.stream.capability.enforce", false);
            conf.setInt("hbase.master.info.port", -1);
            conf.setInt("hbase.regionserver.info.port", -1);
            conf.set("hbase.rootdir", root.resolve("hbase").toUri().toString());
            hbase = new HBaseTestingUtility(conf);
            hbase.startMiniZKCluster();
            hbase.startMiniHBaseCluster(StartMiniClusterOption.builder().numMasters(1).numRegionServers(1).build());
            AdrankConfig defaults = AdrankConfig.load("local", Map.of("home", root.toString()));
            hazelcast = EmbeddedHazelcast.start(defaults.hazelcast().withLocalPort(0));
        }

        /** The member's address, as clients see it. */
        public String hazelcastMember() {
            return hazelcast.clientConfig().members().get(0);
        }

        public int zookeeperPort() {
            return hbase.getZkCluster().getClientPort();
        }

        /**
         * A fresh, isolated configuration: its own schema (HBase namespace), Hive database and
         * data/quarantine directories; the shared metastore and warehouse.
         */
        public AdrankConfig newConfig(String name, Map<String, String> overrides) throws Exception {
            return AdrankConfig.load("local", newSettings(name, overrides));
        }

        /**
         * The settings of {@link #newConfig}, as {@code -D} overrides over {@code --env local} (for
         * tests that run the command line or another JVM against the shared services).
         */
        public Map<String, String> newSettings(String name, Map<String, String> overrides) throws Exception {
            String schema = name + "_" + SCHEMAS.incrementAndGet();
            Path home = Files.createDirectories(root.resolve("tests").resolve(schema));
            Map<String, String> settings = new HashMap<>();
            settings.put("home", home.toString());
            settings.put("schema", schema);
            settings.put("input.database", "in_" + schema);
            settings.put("hbase.zookeeper-port", String.valueOf(zookeeperPort()));
            settings.put("metastore.derby-dir", root.resolve("metastore").toString());
            settings.put("metastore.warehouse-dir", root.resolve("warehouse").toString());
            settings.put("log.dir", root.resolve("log").toString());
            settings.put("spark.shuffle-partitions", "2");
            settings.put("spark.progress", "false");
            settings.put("hazelcast.members", "[\"" + hazelcastMember() + "\"]");
            settings.putAll(overrides);
            startSparkWithHive(settings);
            return settings;
        }

        /**
         * Starts the JVM's one Spark session with Hive support before any test can start it
         * without: the session belongs to the process and the first context decides, so a test
         * reading its input by path ({@code input.source = path}) that happened to run first
         * would leave every later test that reads through the metastore without one (the order of
         * test classes is the file system's, not fixed). A session without Hive left by a test class
         * that does not use this stack is stopped first.
         */
        private synchronized void startSparkWithHive(Map<String, String> settings) {
            if (sparkStarted) {
                return;
            }
            // a test class without this stack (AbtestIT reads by path) may have started one without Hive
            org.apache.spark.sql.SparkSession.getDefaultSession().foreach(existing -> {
                if (!"hive".equals(existing.conf().get("spark.sql.catalogImplementation", "in-memory"))) {
                    existing.stop();
                }
                return null;
            });
            Map<String, String> viaMetastore = new HashMap<>(settings);
            viaMetastore.put("input.source", "metastore");
            SparkSessions.getOrCreate(AdrankConfig.load("local", viaMetastore));
            sparkStarted = true;
        }

        public RunContext newContext(String name, Map<String, String> overrides) throws Exception {
            return new RunContext(newConfig(name, overrides));
        }

        /**
         * A real Presto server, started on first use only (so only the Presto tests pay for it):
         * the distribution is resolved through Maven and unpacked once per machine
         * ({@code presto.local.install-dir}), the server runs on a free loopback port with a file
         * metastore over the shared warehouse directory and is stopped with the other services.
         */
        public synchronized PrestoServer presto() throws Exception {
            if (presto == null) {
                AdrankConfig defaults = AdrankConfig.load("local", Map.of("home", root.toString()));
                PrestoDistribution distribution = PrestoDistribution.standard();
                long t0 = System.nanoTime();
                org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AdrankStack.class);
                Path home = distribution.ensureInstalled(defaults.presto().local().installDir(),
                        line -> log.info("presto: {}", line));
                long t1 = System.nanoTime();
                // the file metastore's catalog directory is the warehouse Spark uses (as for `local up`)
                presto = PrestoServer.start(new PrestoServer.Options(home, root.resolve("presto"),
                        root.resolve("warehouse"), 0, "1G", java.time.Duration.ofMinutes(4), false));
                log.info(String.format("presto: distribution ready in %.1f s, server answered after %.1f s",
                        (t1 - t0) / 1e9, presto.startTime().toMillis() / 1e3));
            }
            return presto;
        }

        /** A context whose presto.url points at the shared server (started when needed). */
        public RunContext newPrestoContext(String name, Map<String, String> overrides) throws Exception {
            Map<String, String> settings = new HashMap<>();
            settings.put("presto.url", presto().jdbcUrl());
            settings.put("presto.connect-retries", "1");
            settings.put("presto.retry-wait", "1s");
            settings.putAll(overrides);
            return newContext(name, settings);
        }

        @Override
        public void close() throws Throwable {
            if (presto != null) {
                presto.close();
            }
            hazelcast.close();
            hbase.shutdownMiniCluster();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        services(context);
    }

    static Services services(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Services.class, k -> {
                    try {
                        return new Services();
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot start the HBase mini cluster", e);
                    }
                }, Services.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Services.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return services(extension);
    }
}
