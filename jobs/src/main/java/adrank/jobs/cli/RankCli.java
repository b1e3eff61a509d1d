package adrank.jobs.cli;

import adrank.jobs.pipeline.Failures;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.ConfigError;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rank}: the command line of adrank. */
@Command(name = "rank", mixinStandardHelpOptions = true, version = "adrank 0.1.0",
        description = "Hourly and daily rank computation for ad serving: Spark jobs, HBase state, Hazelcast snapshots.",
        subcommands = {GenerateCommand.class, HourlyCommand.class, DailyCommand.class, BackfillCommand.class,
            CompareCommand.class, EvaluateCommand.class, ShowCommand.class,
            ExportCommand.class, StatusCommand.class, PublishCommand.class, VersionsCommand.class,
            LookupCommand.class, LocalCommand.class, DemoCommand.class, EtlCommand.class, CheckCommand.class,
            AbtestCommand.class, CommandLine.HelpCommand.class})
public final class RankCli implements Runnable {

    /** Exit code of a run that failed for a reason the user can act on. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of bad usage or configuration. */
    public static final int EXIT_USAGE = 2;
    /** The stack traces of failures: to the log file only (logback.xml), the console gets one line. */
    private static final Logger TRACE = LoggerFactory.getLogger("adrank.failures");

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }

    /** The configured command line (tests and the Oozie check parse with it too). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new RankCli());
        // one message for a bad day in every option (--dt, --from, --to, --start-day)
        cli.registerConverter(LocalDate.class, RankCli::day);
        cli.setParameterExceptionHandler((e, args) -> {
            // one line, not the whole usage help: bad usage is a message to act on, like a failure
            CommandLine command = e.getCommandLine();
            String suggestions = e instanceof CommandLine.UnmatchedArgumentException unmatched
                    && !unmatched.getSuggestions().isEmpty()
                    ? " (did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?)" : "";
            System.err.println(commandPath(command) + ": bad usage: " + e.getMessage() + suggestions + " (see "
                    + commandPath(command) + " --help)");
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String name = commandPath(command).substring("rank ".length());
            if (e instanceof ConfigError) {
                System.err.println("rank " + name + ": configuration error: " + e.getMessage());
                return EXIT_USAGE;
            }
            // one line on the console; the stack trace only in the log file
            TRACE.error("rank {} failed", name, e);
            boolean explained = e instanceof RunFailedException && e.getCause() == null;
            System.err.println("rank " + name + ": FAILED: " + Failures.describe(e) + (explained ? "" : logHint()));
            return EXIT_FAILED;
        });
        return cli;
    }

    /** Where the stack trace of a failure is ({@code logback.xml}: the file under {@code adrank.log.dir}). */
    private static String logHint() {
        String dir = System.getProperty("adrank.log.dir");
        return dir == null ? " (stack trace in the log)"
                : " (stack trace in " + Path.of(dir, System.getProperty("adrank.log.name", "adrank") + ".log") + ")";
    }

    /** "rank versions ab" for the command {@code ab}. */
    private static String commandPath(CommandLine command) {
        StringBuilder path = new StringBuilder(command.getCommandName());
        for (CommandLine parent = command.getParent(); parent != null; parent = parent.getParent()) {
            path.insert(0, parent.getCommandName() + " ");
        }
        return path.toString();
    }

    /** A day as {@code yyyy-MM-dd}. */
    static LocalDate day(String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a day (yyyy-MM-dd, e.g. 2026-11-01)");
        }
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
