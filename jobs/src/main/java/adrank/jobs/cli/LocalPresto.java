package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.PrestoConfig;
import adrank.loaders.presto.PrestoDistribution;
import adrank.loaders.presto.PrestoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Presto server of {@code rank local up --with-presto}: its own background process (not part
 * of the stack's JVM), its PID in {@code var/run/presto.pid}, stopped by {@code local down}.
 */
final class LocalPresto {

    private LocalPresto() {
    }

    static Path pidFile(AdrankConfig config) {
        return config.varDir().resolve("run/presto.pid");
    }

    static Optional<ProcessHandle> running(AdrankConfig config) throws IOException {
        Path pid = pidFile(config);
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        return PrestoServer.process(Long.parseLong(Files.readString(pid).trim()));
    }

    static void up(AdrankConfig config) throws IOException {
        PrestoConfig.Local local = config.presto().local();
        Optional<ProcessHandle> existing = running(config);
        if (existing.isPresent() && PrestoServer.answers(local.port())) {
            Summary.print("local up", "Presto already running (pid " + existing.get().pid() + ") at "
                    + config.presto().url());
            return;
        }
        if (local.port() == 0) {
            throw new IllegalStateException("presto.local.port must be a fixed port for `local up --with-presto`");
        }
        PrestoDistribution distribution = PrestoDistribution.standard();
        Path home = distribution.ensureInstalled(local.installDir(), line -> System.err.println("presto: " + line));
        System.err.println("starting Presto " + distribution.serverVersion() + " on 127.0.0.1:" + local.port()
                + " (20-40 s) ...");
        PrestoServer server = PrestoServer.start(new PrestoServer.Options(home, local.dataDir(), local.metastoreDir(),
                local.port(), local.heap(), local.startTimeout(), true));
        Files.createDirectories(pidFile(config).getParent());
        Files.writeString(pidFile(config), String.valueOf(server.pid()), StandardCharsets.UTF_8);
        Summary.print("local up", "Presto up in " + Summary.seconds(server.startTime()) + " (pid " + server.pid()
                + "): " + server.jdbcUrl() + ", Hive catalog '" + config.presto().catalog() + "' on a file metastore in "
                + local.metastoreDir() + ", log " + server.log()
                + (server.jdbcUrl().equals(config.presto().url()) ? "" : "; note: presto.url is " + config.presto().url()));
    }

    static void down(AdrankConfig config) throws IOException {
        Optional<ProcessHandle> process = running(config);
        if (process.isPresent()) {
            long start = System.nanoTime();
            boolean stopped = PrestoServer.stop(process.get(), Duration.ofSeconds(30));
            Summary.print("local down", (stopped ? "stopped" : "could not stop") + " Presto pid " + process.get().pid()
                    + " in " + Summary.seconds(Duration.ofNanos(System.nanoTime() - start)));
        }
        Files.deleteIfExists(pidFile(config));
    }

    static void status(AdrankConfig config) throws IOException {
        Optional<ProcessHandle> process = running(config);
        if (process.isPresent()) {
            Summary.print("local status", "Presto running (pid " + process.get().pid() + ") at " + config.presto().url()
                    + (PrestoServer.answers(config.presto().local().port()) ? "" : " (not answering yet)"));
        }
    }
}
