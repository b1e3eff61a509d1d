package adrank.jobs.cli;

import adrank.jobs.pipeline.EtlJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.stats.HourId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "etl", mixinStandardHelpOptions = true,
        description = "Convert one raw hour in the warehouse: gzip text (etl.raw-table) -> ORC (etl.bin-table) -> "
                + "per-key aggregates (etl.agg-table), with Spark or Presto. Malformed rows are quarantined; "
                + "re-running replaces the hour; each _SUCCESS marker is written last.")
final class EtlCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Mixin
    HourOptions partition;

    @Option(names = "--engine", paramLabel = "spark|presto",
            description = "Engine that converts the hour (default: the etl.engine setting).")
    String engine;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (engine != null && !engine.equals("spark") && !engine.equals("presto")) {
            throw new ParameterException(spec.commandLine(), "--engine must be spark or presto, not '" + engine + "'");
        }
        HourId hour = partition.hour();
        try (RunContext ctx = new RunContext(options.config())) {
            String chosen = engine != null ? engine : ctx.config().presto().etl().engine();
            EtlJob.Outcome o = EtlJob.run(ctx, hour, chosen);
            Summary.print("etl", describe(o));
        }
        return 0;
    }

    static String describe(EtlJob.Outcome o) {
        return o.hour() + " SUCCEEDED with " + o.engine() + ": " + Summary.count(o.rowsIn()) + " rows in ("
                + Summary.count(o.rowsBad()) + " quarantined" + (o.badReasons().isEmpty() ? "" : " " + o.badReasons()
                + " in " + o.quarantine()) + "), " + Summary.count(o.binRows()) + " rows -> " + o.binLocation() + ", "
                + Summary.count(o.aggKeys()) + " keys -> " + o.aggLocation() + ", " + Summary.seconds(o.elapsed());
    }
}
