package adrank.jobs.cli;

import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.ConfigError;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rank}: the command line of adrank. */
@Command(name = "rank", mixinStandardHelpOptions = true, version = "adrank 0.1.0",
        description = "Hourly and daily rank computation for ad serving: Spark jobs, HBase state, Hazelcast snapshots.",
        subcommands = {GenerateCommand.class, HourlyCommand.class, DailyCommand.class, BackfillCommand.class,
            CompareCommand.class, ShowCommand.class,
            ExportCommand.class, StatusCommand.class, PublishCommand.class, VersionsCommand.class,
            LookupCommand.class, LocalCommand.class, DemoCommand.class, EtlCommand.class,
            CommandLine.HelpCommand.class})
public final class RankCli implements Runnable {

    /** Exit code of a run that failed for a reason the user can act on. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad usage or configuration. */
    public static final int EXIT_USAGE = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    /** The configured command line (tests and the Oozie check parse with it too). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RankCli());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = command.getCommandName();
            if (e instanceof ConfigError) {
                System.err.println("rank " + name + ": configuration error: " + e.getMessage());
                return EXIT_USAGE;
            }
            if (e instanceof RunFailedException || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException) {
                System.err.println("rank " + name + ": FAILED: " + e.getMessage());
                LoggerFactory.getLogger(RankCli.class).debug("failure", e);
                return EXIT_FAILED;
            }
            LoggerFactory.getLogger(RankCli.class).error("rank {} failed", name, e);
            System.err.println("rank " + name + ": FAILED: " + e + " (full trace in the log)");
            return EXIT_FAILED;
        });
        return cli;
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        int code = commandLine().execute(args);
        // stop Spark before the JVM exits, so its thread pools do not reject work mid-shutdown
        org.apache.spark.sql.SparkSession.getDefaultSession().foreach(session -> {
            session.stop();
            return null;
        });
        System.exit(code);
    }
}
