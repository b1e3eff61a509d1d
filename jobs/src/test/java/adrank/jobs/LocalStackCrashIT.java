package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hbase.HBaseConfiguration;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank local up} comes back by itself after a crash: the embedded HBase runs in a child JVM
 * ({@link LocalStackChild}, what the stack's background process starts), a row is written with
 * the HBase client, the child is killed with SIGKILL (so the row is in the write-ahead log only,
 * and the dead master's session stays in ZooKeeper's data), and a second child on the same
 * directory and port must come up and serve the row.
 */
class LocalStackCrashIT {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStackCrashIT.class);
    /** Short-lived JVMs on 2 shared cores: the quick JIT tier only, one GC thread. */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    /** A clean start takes 10-20 s here, a start after a crash up to 10 s more (the dead sessions' timeout). */
    private static final Duration START_LIMIT = Duration.ofSeconds(90);
    private static final TableName TABLE = TableName.valueOf("crash");
    private static final byte[] FAMILY = Bytes.toBytes("f");
    private static final byte[] COLUMN = Bytes.toBytes("c");

    @Test
    void aStackKilledWithSigkillRestartsOnItsDataAndServesTheRowWrittenBeforeTheKill() throws Exception {
        Path dir = Path.of("target", "local-stack-crash-it").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<Process> children = new ArrayList<>();
        try {
            Process first = start(dir, port, "first", children);
            try (Connection hbase = ConnectionFactory.createConnection(client(port)); Admin admin = hbase.getAdmin()) {
                admin.createTable(TableDescriptorBuilder.newBuilder(TABLE)
                        .setColumnFamily(ColumnFamilyDescriptorBuilder.of(FAMILY)).build());
                try (Table table = hbase.getTable(TABLE)) {
                    table.put(new Put(Bytes.toBytes("row-1"))
                            .addColumn(FAMILY, COLUMN, Bytes.toBytes("before the kill")));
                }
            }
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

            start(dir, port, "second", children);
            try (Connection hbase = ConnectionFactory.createConnection(client(port));
                    Table table = hbase.getTable(TABLE)) {
                byte[] value = table.get(new Get(Bytes.toBytes("row-1"))).getValue(FAMILY, COLUMN);
                assertThat(value).as("the row written before the kill").isNotNull();
                assertThat(Bytes.toString(value)).isEqualTo("before the kill");
            }
            assertThat(Files.readString(dir.resolve("second.log"))).contains("the previous run did not stop cleanly");
        } finally {
            for (Process child : children) {
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a child on {@code dir} and waits for its ready line; fails with its log's excerpt if it exits or is late. */
    private static Process start(Path dir, int port, String name, List<Process> children) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOpens());
        command.addAll(QUICK_START);
        command.add("-Xmx1g");
        command.add("-Dlogback.configurationFile=" + Path.of("target", "test-classes", "logback-child.xml")
                .toAbsolutePath());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalStackChild.class.getName(),
                dir.resolve("hbase").toString(), String.valueOf(port)));
        Path log = dir.resolve(name + ".log");
        Instant begin = Instant.now();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(child);
        Instant deadline = begin.plus(START_LIMIT);
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(LocalStackChild.READY)) {
            if (!child.isAlive() || Instant.now().isAfter(deadline)) {
                throw new AssertionError("the " + name + " stack " + (child.isAlive() ? "did not come up within "
                        + START_LIMIT.toSeconds() + " s" : "exited with code " + child.exitValue()) + "; " + log
                        + " says:\n" + excerpt(log));
            }
            Thread.sleep(250);
        }
        LOG.info("{} stack up in {} ms", name, Duration.between(begin, Instant.now()).toMillis());
        return child;
    }

    private static Configuration client(int port) {
        Configuration conf = HBaseConfiguration.create();
        conf.set("hbase.zookeeper.quorum", "127.0.0.1");
        conf.setInt("hbase.zookeeper.property.clientPort", port);
        return conf;
    }

    /** The Java 17 module flags this JVM got from the parent pom's jvm.opens (HBase needs them). */
    private static List<String> jvmOpens() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-exports")
                        || a.startsWith("-Djdk.reflect.") || a.startsWith("-Dio.netty.")
                        || a.equals("-XX:+IgnoreUnrecognizedVMOptions"))
                .toList();
    }

    /** The log's exception lines (a failed HBase start dumps every thread before them), then its last lines. */
    private static String excerpt(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> excerpt = new ArrayList<>(lines.stream().filter(l -> l.contains("Exception")).limit(10).toList());
        excerpt.add("...");
        excerpt.addAll(lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        return String.join("\n", excerpt);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
