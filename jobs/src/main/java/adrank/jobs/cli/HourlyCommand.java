package adrank.jobs.cli;

import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.stats.HourId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "hourly", mixinStandardHelpOptions = true,
        description = "Apply one hour partition: quarantine malformed rows, write the hour's cell and today per key. "
                + "Re-running an hour replaces it.")
final class HourlyCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    HourOptions partition;

    @Override
    public Integer call() throws Exception {
        HourId hour = partition.hour();
        try (RunContext ctx = new RunContext(options.config())) {
            HourlyJob.Outcome o = HourlyJob.run(ctx, hour);
            Summary.print("hourly", describe(o));
            if (ctx.config().publish().after().equals("hourly")) {
                Summary.print("publish", PublishCommand.describe(adrank.jobs.pipeline.PublishJob.run(ctx)));
            }
        }
        return 0;
    }

    static String describe(HourlyJob.Outcome o) {
        return o.hour() + " SUCCEEDED: " + Summary.count(o.rowsIn()) + " rows in ("
                + Summary.count(o.rowsBad()) + " quarantined" + (o.badReasons().isEmpty() ? "" : " " + o.badReasons())
                + "), " + Summary.count(o.keysWritten()) + " keys written, " + Summary.count(o.keysRemoved())
                + " removed, " + Summary.count(o.results().keys()) + " ranks refreshed"
                + (o.results().faulty() == 0 ? "" : " (" + o.results().faulty() + " faulty keys quarantined)") + ", "
                + Summary.seconds(o.elapsed()) + " (" + Summary.rate(o.rowsIn(), o.elapsed())
                + " rows), run " + o.runId();
    }
}
