package adrank.loaders.presto;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Presto server (the unpacked {@link PrestoDistribution}) as a child process on 127.0.0.1,
 * with a Hive catalog on a file metastore (no metastore service): for the tests and for
 * {@code rank local up --with-presto}.
 *
 * <p>{@link #start} writes {@code etc/} under the work directory, starts
 * {@code java <flags> -cp "<server>/lib/*" -Dconfig=etc/config.properties
 * com.facebook.presto.server.PrestoServer} (the flags Presto 0.287 needs on Java 17), and waits
 * until {@code /v1/info} says it is no longer starting and {@code /v1/cluster} counts it as an
 * active worker. {@link #close} stops it by its PID:
 * SIGTERM, then a kill after a grace period.
 */
public final class PrestoServer implements AutoCloseable {

    private static final Pattern ACTIVE_WORKERS = Pattern.compile("\"activeWorkers\"\\s*:\\s*(\\d+)");

    private static final Logger LOG = LoggerFactory.getLogger(PrestoServer.class);

    /** Module opens Guice and Presto need on Java 17 (probed, see STACK.md). */
    private static final List<String> OPENS = List.of("java.io", "java.lang", "java.lang.ref", "java.lang.reflect",
            "java.net", "java.nio", "java.security", "javax.security.auth", "javax.security.auth.login", "java.text",
            "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "java.util.regex",
            "jdk.internal.loader", "sun.security.action", "sun.nio.ch");

    /**
     * How to run the server.
     *
     * @param home         the unpacked distribution
     * @param workDir      etc/, data/ and server.log
     * @param metastoreDir catalog directory of the file metastore
     * @param port         HTTP port on 127.0.0.1; 0 = a free one
     * @param heap         -Xmx, e.g. 1G
     * @param startTimeout how long to wait for it to answer
     * @param detached     start in its own session (setsid) so it outlives this process
     */
    public record Options(Path home, Path workDir, Path metastoreDir, int port, String heap, Duration startTimeout,
            boolean detached) {
    }

    private final ProcessHandle process;
    private final int port;
    private final Path log;
    private final Duration started;

    private PrestoServer(ProcessHandle process, int port, Path log, Duration started) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.started = started;
    }

    /** Starts the server and waits until it answers; fails with the end of its log if it does not. */
    public static PrestoServer start(Options options) throws IOException {
        if (Runtime.version().feature() >= 25) {
            throw new IllegalStateException("Presto 0.287 does not run on Java " + Runtime.version().feature()
                    + " (its Hive connector fails on Java 25); run adrank with JDK 17 (JAVA=/path/to/jdk17/bin/java)");
        }
        long begin = System.nanoTime();
        int port = options.port() == 0 ? freePort() : options.port();
        if (answers(port)) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is already serving something (another "
                    + "Presto?); stop it or set presto.local.port");
        }
        Path etc = Files.createDirectories(options.workDir().resolve("etc"));
        Path catalogs = Files.createDirectories(etc.resolve("catalog"));
        Path data = Files.createDirectories(options.workDir().resolve("data"));
        Path staging = Files.createDirectories(options.workDir().resolve("staging"));
        Files.createDirectories(options.metastoreDir());
        long heapMb = heapMegabytes(options.heap());
        Files.writeString(etc.resolve("config.properties"), String.join("\n",
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "node.environment=adrank",
                "node.id=" + UUID.nameUUIDFromBytes(options.workDir().toString().getBytes(StandardCharsets.UTF_8)),
                "node.bind-ip=127.0.0.1",
                "node.internal-address=127.0.0.1",
                "http-server.http.port=" + port,
                "discovery-server.enabled=true",
                "discovery.uri=http://127.0.0.1:" + port,
                "query.max-memory=" + heapMb / 4 + "MB",
                "query.max-memory-per-node=" + heapMb / 4 + "MB",
                "query.max-total-memory-per-node=" + heapMb * 35 / 100 + "MB",
                "plugin.dir=" + options.home().resolve("plugin"),
                "catalog.config-dir=" + catalogs,
                "") , StandardCharsets.UTF_8);
        Files.writeString(catalogs.resolve("hive.properties"), String.join("\n",
                "connector.name=hive-hadoop2",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=" + options.metastoreDir().toUri(),
                "hive.allow-drop-table=true",
                "hive.non-managed-table-writes-enabled=true",
                "hive.non-managed-table-creates-enabled=true",
                "hive.temporary-staging-directory-path=" + staging,
                ""), StandardCharsets.UTF_8);

        List<String> command = new ArrayList<>();
        if (options.detached() && new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String pkg : OPENS) {
            command.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        }
        command.add("--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED");
        command.addAll(List.of("-Djdk.attach.allowAttachSelf=true", "-Xmx" + options.heap(), "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError", "-Duser.timezone=UTC", "-Dfile.encoding=UTF-8",
                "-cp", options.home().resolve("lib") + File.separator + "*",
                "-Dconfig=" + etc.resolve("config.properties"),
                "com.facebook.presto.server.PrestoServer"));
        Path log = options.workDir().resolve("server.log");
        Files.writeString(log, "---- starting on port " + port + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ProcessHandle handle = process.toHandle();
        if (!options.detached()) {
            // tests: never leave a server behind when the JVM ends
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(handle, Duration.ofSeconds(10)),
                    "presto-server-stop"));
        }
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        while (!answers(port) || !schedulesOnItself(port)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Presto server exited with code " + process.exitValue()
                        + " while starting; end of " + log + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                stop(handle, Duration.ofSeconds(10));
                throw new IllegalStateException("the Presto server did not answer on 127.0.0.1:" + port + " within "
                        + options.startTimeout().toSeconds() + " s; end of " + log + ":\n" + tail(log));
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(handle, Duration.ofSeconds(10));
                throw new IllegalStateException("interrupted while waiting for Presto", e);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        LOG.info("Presto server pid {} answers on 127.0.0.1:{} after {} ms", handle.pid(), port, took.toMillis());
        return new PrestoServer(handle, port, log, took);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** How long the start took until the server answered. */
    public Duration startTime() {
        return started;
    }

    /** {@code jdbc:presto://127.0.0.1:<port>}. */
    public String jdbcUrl() {
        return "jdbc:presto://127.0.0.1:" + port;
    }

    /**
     * True when the coordinator counts itself as an active worker. "Started" comes first: until
     * its own announcement reaches its node manager (seconds later on a loaded machine) a query
     * that needs splits scheduled fails with "sortedCandidates is null or empty". The node set of
     * a catalog can lag this count by one refresh, so {@link PrestoJdbc} also retries that error.
     */
    static boolean schedulesOnItself(int port) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/cluster")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher workers = ACTIVE_WORKERS.matcher(response.body());
            return response.statusCode() == 200 && workers.find() && Long.parseLong(workers.group(1)) >= 1;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** True when a Presto coordinator on this loopback port says it has finished starting. */
    public static boolean answers(int port) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"starting\":false");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, then a kill when it has not exited within the grace period. True when it is gone. */
    public static boolean stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return true;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Presto pid {} did not stop within {} s; killing it", process.pid(), grace.toSeconds());
            process.destroyForcibly();
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception again) {
                return !process.isAlive();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // cannot happen for onExit
        }
        return !process.isAlive();
    }

    /** The live process with this PID, when it still runs. */
    public static Optional<ProcessHandle> process(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    @Override
    public void close() {
        stop(process, Duration.ofSeconds(30));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long heapMegabytes(String heap) {
        long n = Long.parseLong(heap.substring(0, heap.length() - 1));
        return Character.toUpperCase(heap.charAt(heap.length() - 1)) == 'G' ? n * 1024 : n;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ")";
        }
    }
}
