package adrank.jobs.cli;

import adrank.jobs.pipeline.Backfill;
import adrank.jobs.pipeline.RunContext;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = {"Run every hour and then the daily fold of each day from --from to --to, in order, through the "
                + "same jobs as hourly and daily.",
            "With --schema the state goes to that schema's own HBase namespace (created when absent) and quarantined "
                + "rows under <input.quarantine-dir>/schema=<NAME>/ (as for every command), so nothing of the scheduled "
                + "schema is touched.",
            "Units the ledger shows as done are skipped (unless --force): a killed backfill resumes where it stopped "
                + "when run again. Progress (unit, rows, rows/s, ETA) goes to the log; the summary line to stderr.",
            "The hours run without the result stage: each day's fold computes every key's result once (the final "
                + "state is the same as with results after every hour; until a day is folded, the stored results are "
                + "those of the last fold)."})
final class BackfillCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd", description = "First day (inclusive).")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd", description = "Last day (inclusive).")
    LocalDate to;

    @Option(names = "--force", description = "Redo every hour and day, even those the ledger shows as done.")
    boolean force;

    @Option(names = "--skip-missing", description = "Skip hours whose partition directory does not exist (the day "
            + "folds the hours there are) instead of stopping at the first one.")
    boolean skipMissing;

    @Option(names = "--publish", description = "Publish a Hazelcast snapshot of the schema at the end.")
    boolean publish;

    @Option(names = "--results-every-hour", description = "Run the result stage after every hour too, as hourly "
            + "does, instead of once per day in the fold (slower, same final state; to compare).")
    boolean resultsEveryHour;

    @Option(names = "--dry-run", description = "Print what would run and what is done, then stop.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (to.isBefore(from)) {
            throw new ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
        }
        Backfill.Options backfill = new Backfill.Options(from, to, force, skipMissing, publish,
                resultsEveryHour);
        try (RunContext ctx = new RunContext(options.config())) {
            if (dryRun) {
                Backfill.Plan plan = Backfill.plan(ctx, backfill);
                for (Backfill.Step step : plan.steps()) {
                    System.out.println(step.number() + "\t" + step);
                }
                Summary.print("backfill", from + ".." + to + " schema " + ctx.config().schema() + " (dry run): "
                        + plan.hours() + " hour(s) + " + plan.days() + " day(s) to run, " + plan.hoursDone()
                        + " hour(s) + " + plan.daysDone() + " day(s) done" + missing(plan)
                        + (plan.missingHours().isEmpty() || skipMissing ? ""
                                : "; the backfill would stop: add --skip-missing to skip hours without a partition"));
                return 0;
            }
            Backfill.Outcome o = Backfill.run(ctx, backfill, Backfill.Listener.NONE);
            Summary.print("backfill", describe(o));
            return 0;
        } catch (Backfill.StoppedException e) {
            Summary.print("backfill", (e.interrupted() ? "INTERRUPTED " : "STOPPED: ") + e.getMessage());
            return RankCli.EXIT_FAILED;
        }
    }

    static String describe(Backfill.Outcome o) {
        Backfill.Plan plan = o.plan();
        return o.options().from() + ".." + o.options().to() + " schema " + o.schema() + ": " + o.hoursRun()
                + " hour(s) + " + o.daysRun() + " day(s) run, " + plan.hoursDone() + " hour(s) + " + plan.daysDone()
                + " day(s) already done" + missing(plan)
                + (o.hoursDeferred() == 0 ? "" : ", results of " + o.hoursDeferred() + " hour(s) computed in their folds")
                + "; " + Summary.count(o.rowsIn()) + " rows in ("
                + Summary.count(o.rowsBad()) + " quarantined), " + Summary.count(o.keys()) + " keys ranked, "
                + Backfill.duration(o.elapsed()) + " (" + Summary.rate(o.rowsIn(), o.elapsed()).replace("/s", " rows/s")
                + ")"
                + (o.published() == null ? "" : "; published v" + o.published().result().version() + " ("
                        + Summary.count(o.published().result().entries().count()) + " entries)");
    }

    private static String missing(Backfill.Plan plan) {
        return (plan.missingHours().isEmpty() ? "" : ", " + plan.missingHours().size() + " hour(s) without partition")
                + (plan.daysWithoutData().isEmpty() ? "" : ", days without data " + plan.daysWithoutData());
    }
}
