package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.EmbeddedHazelcast;
import adrank.loaders.local.EmbeddedHBase;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rank local up|down|status}: the embedded stack (HBase with ZooKeeper) in a background
 * JVM whose data persists under {@code var/} between commands.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Start, stop or check the embedded local stack (HBase + ZooKeeper with data under var/, a "
                + "Hazelcast member in memory).",
        subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class,
            LocalCommand.Run.class})
final class LocalCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    static Path pidFile(AdrankConfig config) {
        return config.varDir().resolve("run/local-stack.pid");
    }

    static Path readyFile(AdrankConfig config) {
        return config.varDir().resolve("run/local-stack.ready");
    }

    static Optional<ProcessHandle> running(AdrankConfig config) throws IOException {
        Path pid = pidFile(config);
        if (!Files.exists(pid)) {
            return Optional.empty();
        }
        long id = Long.parseLong(Files.readString(pid).trim());
        return ProcessHandle.of(id).filter(ProcessHandle::isAlive);
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the stack in the background.")
    static final class Up implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--with-presto", description = "Also start a Presto 0.287 server on 127.0.0.1 (presto.local.*): "
                + "the first time downloads 2.08 GB through Maven and unpacks 455 MB; starting takes 20-40 s and "
                + "~0.5-0.7 GB of memory.")
        boolean withPresto;

        @Override
        public Integer call() throws Exception {
            AdrankConfig config = options.config();
            Optional<ProcessHandle> existing = running(config);
            if (existing.isPresent() && Files.exists(readyFile(config))) {
                Summary.print("local up", "already running (pid " + existing.get().pid() + "), HBase ZooKeeper "
                        + config.hbase().zookeeperQuorum() + ":" + config.hbase().zookeeperPort());
                if (withPresto) {
                    LocalPresto.up(config);
                }
                return 0;
            }
            Instant start = Instant.now();
            Files.createDirectories(config.varDir().resolve("run"));
            Files.createDirectories(config.logDir());
            Files.deleteIfExists(readyFile(config));
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) {
                command.add("/usr/bin/setsid"); // detach from the terminal's process group
            }
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            command.add("-Dadrank.log.name=local-stack"); // its own log file: two processes, two files
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(RankCli.class.getName());
            command.add("local");
            command.add("run");
            command.add("--env");
            command.add(options.env);
            options.overrides.forEach((k, v) -> command.add("-D" + k + "=" + v));
            Path out = config.logDir().resolve("local-stack.out");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            long deadline = System.currentTimeMillis() + config.local().startTimeoutSeconds() * 1000L;
            System.err.print("starting the local stack (HBase, ZooKeeper, Hazelcast) ");
            while (!Files.exists(readyFile(config))) {
                if (!process.isAlive()) {
                    System.err.println();
                    throw new IllegalStateException("the local stack exited with code " + process.exitValue()
                            + " while starting; see " + out);
                }
                if (System.currentTimeMillis() > deadline) {
                    process.destroy();
                    System.err.println();
                    throw new IllegalStateException("the local stack did not come up within "
                            + config.local().startTimeoutSeconds() + " s (local.start-timeout-seconds); see " + out);
                }
                System.err.print(".");
                Thread.sleep(1000);
            }
            System.err.println();
            Summary.print("local up", "HBase and Hazelcast up in " + Summary.seconds(Duration.between(start, Instant.now()))
                    + " (pid " + process.pid() + "): ZooKeeper 127.0.0.1:" + config.hbase().zookeeperPort()
                    + ", Hazelcast 127.0.0.1:" + config.hazelcast().localPort() + " (cluster "
                    + config.hazelcast().clusterName() + "), HBase data " + config.local().hbaseDir() + ", log " + out
                    + "; stop it with `bin/rank local down`");
            if (withPresto) {
                LocalPresto.up(config);
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the stack (data is kept).")
    static final class Down implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            AdrankConfig config = options.config();
            LocalPresto.down(config);
            Optional<ProcessHandle> process = running(config);
            if (process.isEmpty()) {
                Files.deleteIfExists(pidFile(config));
                Files.deleteIfExists(readyFile(config));
                Summary.print("local down", "not running");
                return 0;
            }
            Instant start = Instant.now();
            process.get().destroy(); // SIGTERM: the stack flushes HBase and stops cleanly
            try {
                process.get().onExit().get(90, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                process.get().destroyForcibly();
            }
            Files.deleteIfExists(pidFile(config));
            Files.deleteIfExists(readyFile(config));
            Summary.print("local down", "stopped pid " + process.get().pid() + " in "
                    + Summary.seconds(Duration.between(start, Instant.now())) + "; HBase data kept in "
                    + config.local().hbaseDir() + " (Hazelcast snapshots are in memory: publish again after up)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Is the stack running?")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            AdrankConfig config = options.config();
            Optional<ProcessHandle> process = running(config);
            LocalPresto.status(config);
            Summary.print("local status", process.isPresent() && Files.exists(readyFile(config))
                    ? "running (pid " + process.get().pid() + "), ZooKeeper 127.0.0.1:" + config.hbase().zookeeperPort()
                    : "not running");
            return process.isPresent() ? 0 : RankCli.EXIT_FAILED;
        }
    }

    /** The background process itself (started by {@code up}). */
    @Command(name = "run", hidden = true, description = "Run the stack in the foreground until stopped.")
    static final class Run implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            AdrankConfig config = options.config();
            CountDownLatch stopped = new CountDownLatch(1);
            EmbeddedHBase hbase = EmbeddedHBase.start(config.local().hbaseDir(), config.hbase().zookeeperPort());
            EmbeddedHazelcast hazelcast = EmbeddedHazelcast.start(config.hazelcast());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    hazelcast.close();
                    hbase.close();
                } catch (IOException e) {
                    System.err.println("error while stopping HBase: " + e);
                } finally {
                    stopped.countDown();
                }
            }, "local-stack-shutdown"));
            Files.writeString(pidFile(config), String.valueOf(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
            Files.writeString(readyFile(config), "zookeeper=127.0.0.1:" + hbase.zookeeperPort() + "\nhazelcast=127.0.0.1:"
                    + hazelcast.port() + "\n", StandardCharsets.UTF_8);
            System.err.println("local stack ready: ZooKeeper 127.0.0.1:" + hbase.zookeeperPort() + ", Hazelcast 127.0.0.1:"
                    + hazelcast.port());
            stopped.await();
            return 0;
        }
    }
}
