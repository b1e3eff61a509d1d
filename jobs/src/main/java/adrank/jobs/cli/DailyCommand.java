package adrank.jobs.cli;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.RunContext;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "daily", mixinStandardHelpOptions = true,
        description = "Fold a day's hour cells into the by-day lists, recompute total-to-limit, reset today. "
                + "Re-running a day replaces its entry.")
final class DailyCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--dt", required = true, paramLabel = "yyyy-MM-dd", description = "The day to fold.")
    LocalDate dt;

    @Override
    public Integer call() throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            DailyJob.Outcome o = DailyJob.run(ctx, dt);
            Summary.print("daily", describe(o));
            if (ctx.config().publish().after().equals("daily")) {
                Summary.print("publish", PublishCommand.describe(adrank.jobs.pipeline.PublishJob.run(ctx)));
            }
        }
        return 0;
    }

    static String describe(DailyJob.Outcome o) {
        return o.day() + " SUCCEEDED: folded " + o.hoursFolded() + " hour(s)"
                + (o.missingHours().isEmpty() ? "" : " (missing hours " + o.missingHours() + ")") + ", "
                + Summary.count(o.keysScanned()) + " keys scanned, " + Summary.count(o.keysChanged()) + " changed, "
                + (o.keysAged() == 0 ? "" : Summary.count(o.keysAged()) + " aged out, ")
                + Summary.count(o.results().keys()) + " ranked with VPC"
                + (o.results().faulty() == 0 ? "" : " (" + o.results().faulty() + " faulty keys quarantined)")
                + ", window ends " + o.windowEnd() + ", " + Summary.seconds(o.elapsed()) + ", run " + o.runId();
    }
}
