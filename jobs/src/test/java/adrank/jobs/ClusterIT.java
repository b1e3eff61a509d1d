package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RunRecord;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cluster jar really runs distributed: a Spark standalone master and worker (child JVMs on
 * 127.0.0.1) whose classpath is Spark and Hadoop only, {@code hourly} and {@code daily}
 * submitted with Spark's own {@code spark-submit} main class and {@code adrank-jobs-*-cluster.jar},
 * against this JVM's HBase mini cluster. Executors run in their own JVMs, so the export can only
 * equal the local-mode run of the same hours if the executor-side code serializes, loads from the
 * cluster jar, and opens its own HBase connections.
 */
@ExtendWith(AdrankStack.class)
class ClusterIT {

    private static final LocalDate DAY = LocalDate.of(2026, 4, 1);
    private static final int HOURS = 1;
    private static final Map<String, String> SETTINGS = Map.of("input.source", "path");

    /**
     * What a Spark cluster does not provide, so the "provided" runtime built from this module's
     * runtime classpath leaves it out: adrank itself and everything the cluster jar bundles (see the
     * maven-shade-plugin includes in jobs/pom.xml), plus every other HBase module (hbase-server
     * and friends are not in the cluster jar and must not be needed).
     */
    private static final List<String> NOT_ON_A_SPARK_CLUSTER = List.of("/dev/adrank/", "/org/apache/hbase/",
            "/com/hazelcast/", "/info/picocli/", "/com/typesafe/config/", "/org/apache/commons/commons-statistics",
            "/org/apache/commons/commons-numbers", "/org/apache/commons/commons-rng", "/io/opentelemetry/",
            "/org/apache/yetus/");

    @Test
    void hourlyAndDailySubmittedToAStandaloneClusterExportTheSameAsLocalMode(AdrankStack.Services stack)
            throws Exception {
        Path jar = clusterJar();
        String local;
        String inputPath;
        try (RunContext ctx = stack.newContext("local", SETTINGS)) {
            inputPath = ctx.config().input().path();
            EventGenerator.generate(GeneratorSettings.builder().seed(5).startDay(DAY).days(1).hoursPerDay(HOURS)
                    .eventsPerHour(2_000).keys(300).adServers(2).build(), Path.of(inputPath), null);
            for (int h = 0; h < HOURS; h++) {
                HourlyJob.run(ctx, new HourId(DAY, h));
            }
            DailyJob.run(ctx, DAY);
            local = Export.jsonLines(ctx);
        }
        Map<String, String> settings = new LinkedHashMap<>(stack.newSettings("cluster", SETTINGS));
        settings.put("input.path", inputPath);
        // spark.master stays local[*] (--env local): spark-submit's --master wins over it

        Path dir = Path.of("target", "cluster-it").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, providedClasspath(), jvmOpens())) {
            for (int h = 0; h < HOURS; h++) {
                cluster.submit(jar, "hourly-" + h, rankArgs(settings, "hourly", "--dt", DAY.toString(), "--hr",
                        String.valueOf(h)));
            }
            cluster.submit(jar, "daily", rankArgs(settings, "daily", "--dt", DAY.toString()));
            // one application per submission, each with an executor JVM of its own
            try (Stream<Path> apps = Files.list(dir.resolve("work"))) {
                assertThat(apps.filter(p -> Files.isRegularFile(p.resolve("0").resolve("stderr"))))
                        .hasSize(HOURS + 1);
            }
        }

        try (RunContext ctx = new RunContext(AdrankConfig.load("local", settings))) {
            assertThat(ctx.ledger().list(null)).hasSize(HOURS + 1).allMatch(RunRecord::succeeded);
            assertThat(Export.jsonLines(ctx)).isEqualTo(local);
        }
        assertThat(local.lines().count()).isGreaterThan(200);
    }

    private static List<String> rankArgs(Map<String, String> settings, String... command) {
        List<String> args = new ArrayList<>(Arrays.asList(command));
        args.addAll(List.of("--env", "local"));
        settings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        return args;
    }

    private static Path clusterJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("adrank-jobs-.*-cluster\\.jar"))
                    .collect(Collectors.toList());
            assertThat(jars).as("the cluster jar (mvn package builds it)").hasSize(1);
            return jars.get(0).toAbsolutePath();
        }
    }

    /** Spark, Scala, Hadoop and their libraries: this module's runtime classpath minus what a cluster lacks. */
    private static List<String> providedClasspath() throws IOException {
        String all = Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
        Path reactor = Path.of("").toAbsolutePath().getParent();
        List<String> provided = new ArrayList<>();
        for (String entry : all.split(java.io.File.pathSeparator)) {
            String path = entry.replace(java.io.File.separatorChar, '/');
            boolean module = Path.of(entry).toAbsolutePath().startsWith(reactor);
            if (!module && NOT_ON_A_SPARK_CLUSTER.stream().noneMatch(path::contains)) {
                provided.add(entry);
            }
        }
        assertThat(provided).anyMatch(p -> p.contains("spark-core_")).noneMatch(p -> p.contains("hbase"));
        return provided;
    }

    /** The Java 17 module flags this JVM got from the parent pom's jvm.opens. */
    private static List<String> jvmOpens() {
        List<String> opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")
                        || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions"))
                .collect(Collectors.toList());
        assertThat(opens).contains("--add-opens=java.base/java.nio=ALL-UNNAMED");
        return opens;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * A Spark standalone master and one worker (1 core, 1 GB) in child JVMs on 127.0.0.1. The
     * worker starts executors with the same provided classpath ({@code SPARK_DIST_CLASSPATH}, as in
     * Spark's "Hadoop free" builds) plus the application jar it fetches from the driver.
     */
    private static final class StandaloneCluster implements AutoCloseable {
        /** Short-lived JVMs on 2 shared cores: the quick JIT tier only, one GC thread. */
        private static final String QUICK_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

        private final Path dir;
        private final List<String> classpath;
        private final List<String> opens;
        private final String master;
        private final List<Process> daemons = new ArrayList<>();

        private StandaloneCluster(Path dir, List<String> classpath, List<String> opens, int port) {
            this.dir = dir;
            this.classpath = classpath;
            this.opens = opens;
            this.master = "spark://127.0.0.1:" + port;
        }

        static StandaloneCluster start(Path dir, List<String> classpath, List<String> opens) throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            StandaloneCluster cluster = new StandaloneCluster(dir, classpath, opens, port);
            try {
                Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
                cluster.daemons.add(cluster.java("master", "-Xmx256m", List.of("org.apache.spark.deploy.master.Master",
                        "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", "0")));
                await("the Spark master on port " + port, dir.resolve("master.log"), () -> listening(port));
                cluster.daemons.add(cluster.java("worker", "-Xmx256m", List.of("org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0", "--work-dir",
                        dir.resolve("work").toString(), cluster.master)));
                await("the Spark worker to register", dir.resolve("worker.log"),
                        () -> Files.readString(dir.resolve("worker.log")).contains("Successfully registered with master"));
                return cluster;
            } catch (Exception | AssertionError e) {
                cluster.close();
                throw e;
            }
        }

        /** Runs {@code spark-submit} (client mode) and fails with the driver's log unless it exits 0. */
        void submit(Path jar, String name, List<String> args) throws Exception {
            List<String> submit = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master", master,
                    "--deploy-mode", "client", "--class", "adrank.jobs.cli.RankCli", "--name", "adrank-it-" + name,
                    "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                    "--conf", "spark.executor.memory=512m", "--conf", "spark.executor.cores=1",
                    "--conf", "spark.cores.max=1", "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", opens) + " " + QUICK_START
                            + " " + logbackConfig(),
                    jar.toString()));
            submit.addAll(args);
            Instant start = Instant.now();
            Process driver = java("driver-" + name, "-Xmx768m", submit);
            boolean done = driver.waitFor(240, TimeUnit.SECONDS);
            if (!done) {
                driver.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Path log = dir.resolve("driver-" + name + ".log");
            assertThat(done && driver.exitValue() == 0)
                    .as("spark-submit %s %s exited %s after %s; its log ends with:%n%s", name, args,
                            done ? driver.exitValue() : "(timed out)", Duration.between(start, Instant.now()),
                            tail(log))
                    .isTrue();
            assertThat(Files.readString(log)).contains("rank " + args.get(0) + ": ");
        }

        private Process java(String name, String heap, List<String> mainAndArgs) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(opens);
            command.addAll(List.of(QUICK_START.split(" ")));
            command.add(heap);
            command.add(logbackConfig());
            command.add("-cp");
            command.add(String.join(java.io.File.pathSeparator, classpath));
            command.addAll(mainAndArgs);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(name + ".log").toFile());
            Map<String, String> env = builder.environment();
            env.put("SPARK_HOME", dir.resolve("spark-home").toString());
            env.put("SPARK_SCALA_VERSION", "2.13");
            env.put("SPARK_DIST_CLASSPATH", String.join(java.io.File.pathSeparator, classpath));
            env.put("SPARK_LOCAL_IP", "127.0.0.1");
            env.remove("SPARK_CONF_DIR");
            return builder.start();
        }

        private static String logbackConfig() {
            return "-Dlogback.configurationFile=" + Path.of("target", "test-classes", "logback-child.xml")
                    .toAbsolutePath();
        }

        @Override
        public void close() throws Exception {
            for (int i = daemons.size() - 1; i >= 0; i--) {
                Process p = daemons.get(i);
                p.destroy();
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }

        interface Check {
            boolean ok() throws Exception;
        }

        private static void await(String what, Path log, Check check) throws Exception {
            Instant deadline = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(deadline)) {
                if (Files.exists(log) && check.ok()) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new AssertionError("timed out waiting for " + what + "; " + log + " ends with:\n" + tail(log));
        }

        private static boolean listening(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private static String tail(Path log) throws IOException {
            if (!Files.exists(log)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }
    }
}
