package adrank.jobs.cli;

import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.RunContext;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Stream every stored row as JSON lines, sorted by key. Without --with-run-info the output "
                + "depends only on the state, so two exports of the same state are byte-identical.")
final class ExportCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "jsonl", description = "Output format (jsonl).")
    String format;

    @Option(names = "--with-run-info", description = "Include run ids, computed_at and last-change times.")
    boolean withRunInfo;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("jsonl")) {
            throw new ParameterException(spec.commandLine(), "--format " + format + " is not supported (jsonl)");
        }
        Instant start = Instant.now();
        try (RunContext ctx = new RunContext(options.config());
                PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false,
                        StandardCharsets.UTF_8)) {
            long rows = Export.jsonLines(ctx, out, withRunInfo);
            out.flush();
            Duration elapsed = Duration.between(start, Instant.now());
            Summary.print("export", Summary.count(rows) + " rows from " + ctx.schema().ranks() + " in "
                    + Summary.seconds(elapsed));
        }
        return 0;
    }
}
