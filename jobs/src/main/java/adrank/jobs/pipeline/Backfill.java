package adrank.jobs.pipeline;

import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.metrics.Metric;
import adrank.loaders.metrics.RunMetrics;
import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank backfill --from D1 --to D2}: every hour of a day, then the day's fold, day after
 * day in order, through the same {@link HourlyJob} and {@link DailyJob} the scheduler runs.
 *
 * <p>An hour whose day's fold follows in the plan (every hour, as plans are made) runs without the
 * result stage ({@link HourlyJob#run(RunContext, HourId, boolean)}): the fold runs it anyway, on the
 * same stored state, and every key's result is a function of that state alone, so the results are
 * computed once per day and the final state is the one of running every hour with its results.
 * Between a deferred hour and its fold the stored results are those of the last fold (stale, but
 * consistent). {@link Options#resultsEveryHour()} restores the stage after every hour (to compare).
 *
 * <p>The ledger is the checkpoint. An hour is done when its latest attempt SUCCEEDED; a day is done
 * when its latest fold SUCCEEDED after the latest attempt of every hour of the day and none of its
 * hours runs again. Done units are skipped (unless {@code force}), so a backfill that was killed or
 * interrupted simply runs again and finishes what is left. The thread is checked for an interrupt
 * between units; an interrupt during a unit cancels that unit's Spark jobs, and the unit (left
 * RUNNING or FAILED in the ledger) runs again on the next attempt.
 */
public final class Backfill {

    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);

    private Backfill() {
    }

    /**
     * What to backfill.
     *
     * @param force       redo every unit, done or not
     * @param skipMissing skip hours whose partition directory does not exist (instead of failing)
     * @param publish     publish a snapshot of the schema at the end
     * @param resultsEveryHour run the result stage after every hour too, as {@code rank hourly} does (slower; the
     *                    final state is the same), instead of once per day in the fold
     */
    public record Options(LocalDate from, LocalDate to, boolean force, boolean skipMissing, boolean publish,
            boolean resultsEveryHour) {
        public Options {
            if (to.isBefore(from)) {
                throw new IllegalArgumentException("--to " + to + " is before --from " + from);
            }
        }

        /** Results once per day, in the fold. */
        public Options(LocalDate from, LocalDate to, boolean force, boolean skipMissing, boolean publish) {
            this(from, to, force, skipMissing, publish, false);
        }
    }

    /** One unit of the plan: an hour, or the fold of a day ({@code hour == null}). */
    public record Step(int number, LocalDate day, Integer hour) {
        public boolean isHour() {
            return hour != null;
        }

        public RunUnit unit() {
            return isHour() ? RunUnit.hour(new HourId(day, hour)) : RunUnit.day(day);
        }

        @Override
        public String toString() {
            return isHour() ? "hour " + new HourId(day, hour) : "day " + day;
        }
    }

    /**
     * What a backfill will run, after the ledger and the partitions were checked.
     *
     * @param steps           the units to run, in order
     * @param hoursDone       hours skipped because the ledger shows them done
     * @param daysDone        days skipped because the ledger shows them folded after all their hours
     * @param missingHours    hours skipped because their partition does not exist ({@code skipMissing})
     * @param daysWithoutData days skipped because none of their hours exists or was applied
     */
    public record Plan(List<Step> steps, int hoursDone, int daysDone, List<HourId> missingHours,
            List<LocalDate> daysWithoutData) {

        public int hours() {
            return (int) steps.stream().filter(Step::isHour).count();
        }

        public int days() {
            return steps.size() - hours();
        }
    }

    /** Hooks around every unit (progress displays, tests). Called on the backfill's thread. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void starting(Step step) {
        }

        default void finished(Step step) {
        }
    }

    /**
     * What a backfill did.
     *
     * @param hoursDeferred hours run without the result stage (their days' folds computed the results)
     */
    public record Outcome(Options options, String schema, Plan plan, int hoursRun, int hoursDeferred, int daysRun,
            long rowsIn, long rowsBad, long keys, PublishJob.Outcome published, Duration elapsed) {
    }

    /** The backfill stopped before the end: a unit failed, or the thread was interrupted. */
    public static final class StoppedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        private final transient Step step;
        private final transient Outcome partial;
        private final boolean interrupted;

        StoppedException(String message, Step step, Outcome partial, boolean interrupted, Throwable cause) {
            super(message, cause);
            this.step = step;
            this.partial = partial;
            this.interrupted = interrupted;
        }

        /** The unit that was running or about to run. */
        public Step step() {
            return step;
        }

        /** What was done before it stopped. */
        public Outcome partial() {
            return partial;
        }

        /** True when stopped by an interrupt, false when a unit failed. */
        public boolean interrupted() {
            return interrupted;
        }
    }

    /**
     * Checks the ledger and the partitions and lists the units to run. Hours to run whose partition
     * directory does not exist are listed as missing (and, with {@code skipMissing}, not run).
     */
    public static Plan plan(RunContext ctx, Options options) throws IOException {
        Ledger ledger = ctx.ledger();
        HourPartitions partitions = new HourPartitions(ctx.spark(), ctx.config().input());
        List<Step> steps = new ArrayList<>();
        List<HourId> missing = new ArrayList<>();
        List<LocalDate> withoutData = new ArrayList<>();
        int hoursDone = 0;
        int daysDone = 0;
        for (LocalDate day = options.from(); !day.isAfter(options.to()); day = day.plusDays(1)) {
            Map<Integer, RunRecord> hours = new HashMap<>();
            RunRecord fold = null;
            for (RunRecord run : ledger.latestPerUnit(day)) {
                if (run.unit().kind().equals(RunUnit.HOUR)) {
                    hours.put(run.unit().hour(), run);
                } else {
                    fold = run;
                }
            }
            List<Step> dayHours = new ArrayList<>();
            boolean anyApplied = false;
            for (int h = 0; h < 24; h++) {
                RunRecord latest = hours.get(h);
                boolean done = latest != null && latest.succeeded();
                if (done && !options.force()) {
                    hoursDone++;
                    anyApplied = true;
                } else if (!partitions.directoryExists(new HourId(day, h))) {
                    missing.add(new HourId(day, h));
                    if (options.skipMissing()) {
                        anyApplied |= done;
                    } else {
                        dayHours.add(new Step(0, day, h)); // listed, but run() stops before anything runs
                        anyApplied = true;
                    }
                } else {
                    dayHours.add(new Step(0, day, h));
                    anyApplied = true;
                }
            }
            steps.addAll(dayHours);
            boolean folded = fold != null && fold.succeeded();
            for (RunRecord hour : hours.values()) {
                folded = folded && hour.startedAt().isBefore(fold.startedAt());
            }
            if (!anyApplied) {
                withoutData.add(day);
            } else if (folded && dayHours.isEmpty() && !options.force()) {
                daysDone++;
            } else {
                steps.add(new Step(0, day, null));
            }
        }
        List<Step> numbered = new ArrayList<>(steps.size());
        for (Step step : steps) {
            numbered.add(new Step(numbered.size() + 1, step.day(), step.hour()));
        }
        return new Plan(List.copyOf(numbered), hoursDone, daysDone, List.copyOf(missing), List.copyOf(withoutData));
    }

    /**
     * Runs the backfill, then pushes its metrics (job {@code adrank_backfill}: units run and skipped
     * per kind; each unit pushes its own as {@code adrank_hourly} / {@code adrank_daily}, the publish
     * as {@code adrank_publish}).
     */
    public static Outcome run(RunContext ctx, Options options, Listener listener) throws IOException {
        Instant start = ctx.clock().instant();
        try {
            Outcome outcome = runUnits(ctx, options, listener);
            push(ctx, true, start, outcome);
            return outcome;
        } catch (StoppedException e) {
            push(ctx, false, start, e.partial());
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            push(ctx, false, start, null);
            throw e;
        }
    }

    private static void push(RunContext ctx, boolean succeeded, Instant start, Outcome outcome) {
        Instant end = ctx.clock().instant();
        RunMetrics run = RunMetrics.of(RunMetrics.Kind.BACKFILL, ctx.config().schema(), succeeded, end,
                Duration.between(start, end));
        if (outcome != null) {
            run.set(Metric.UNITS_RUN, "hour", outcome.hoursRun()).set(Metric.UNITS_RUN, "day", outcome.daysRun())
                    .set(Metric.UNITS_SKIPPED, "hour", outcome.plan().hoursDone())
                    .set(Metric.UNITS_SKIPPED, "day", outcome.plan().daysDone())
                    .set(Metric.ROWS_IN, outcome.rowsIn());
        }
        ctx.push(run);
    }

    private static Outcome runUnits(RunContext ctx, Options options, Listener listener) throws IOException {
        Instant start = Instant.now();
        String schema = ctx.config().schema();
        Plan plan = plan(ctx, options);
        if (!plan.missingHours().isEmpty() && !options.skipMissing()) {
            HourPartitions partitions = new HourPartitions(ctx.spark(), ctx.config().input());
            throw new RunFailedException("backfill " + options.from() + ".." + options.to() + ": "
                    + plan.missingHours().size() + " hour(s) to run have no partition directory, e.g. "
                    + partitions.location(plan.missingHours().get(0)) + "; nothing was run. Add --skip-missing to "
                    + "skip hours without a partition (their days fold the hours there are)");
        }
        LOG.info("backfill {}..{} into schema {} ({}): {} hour(s) + {} day(s) to run; done per the ledger: {} hour(s), "
                + "{} day(s){}{}", options.from(), options.to(), schema, ctx.schema().namespace(), plan.hours(),
                plan.days(), plan.hoursDone(), plan.daysDone(),
                plan.missingHours().isEmpty() ? "" : "; skipped without partition: " + plan.missingHours().size()
                        + " hour(s)",
                plan.daysWithoutData().isEmpty() ? "" : "; days without any hour: " + plan.daysWithoutData());
        Progress progress = new Progress(plan, start);
        // an hour defers its results when its day's fold follows in the plan (as plans are made, always; an hour
        // without its fold would refresh them itself, so a backfill never ends on deferred results)
        Set<LocalDate> folding = new HashSet<>();
        for (Step step : plan.steps()) {
            if (!step.isHour()) {
                folding.add(step.day());
            }
        }
        String jobGroup = "adrank-backfill-" + Ledger.runId(start.toEpochMilli());
        for (Step step : plan.steps()) {
            if (Thread.interrupted()) {
                throw stopped(ctx, jobGroup, step, progress.outcome(options, schema, null, start), true, null);
            }
            listener.starting(step);
            Instant stepStart = Instant.now();
            try {
                SparkContext spark = ctx.spark().sparkContext();
                spark.setJobGroup(jobGroup, "backfill " + step, true);
                if (step.isHour()) {
                    boolean defer = !options.resultsEveryHour() && folding.contains(step.day());
                    HourlyJob.Outcome hour = HourlyJob.run(ctx, new HourId(step.day(), step.hour()), defer);
                    progress.hour(step, hour, Duration.between(stepStart, Instant.now()));
                } else {
                    DailyJob.Outcome day = DailyJob.run(ctx, step.day());
                    progress.day(step, day, Duration.between(stepStart, Instant.now()));
                }
            } catch (Exception e) {
                boolean interrupted = Thread.interrupted() | causedByInterrupt(e);
                throw stopped(ctx, jobGroup, step, progress.outcome(options, schema, null, start), interrupted, e);
            } finally {
                if (ctx.sparkStarted()) {
                    ctx.spark().sparkContext().clearJobGroup();
                }
            }
            listener.finished(step);
        }
        PublishJob.Outcome published = null;
        if (options.publish()) {
            published = PublishJob.run(ctx);
        }
        return progress.outcome(options, schema, published, start);
    }

    private static StoppedException stopped(RunContext ctx, String jobGroup, Step step, Outcome partial,
            boolean interrupted, Exception cause) {
        String done = partial.hoursRun() + " hour(s) and " + partial.daysRun() + " day(s) of " + partial.plan().steps()
                .size() + " unit(s) to run finished"
                + (partial.plan().hoursDone() + partial.plan().daysDone() == 0 ? ""
                        : " (" + partial.plan().hoursDone() + " hour(s) and " + partial.plan().daysDone()
                                + " day(s) were done before)");
        String resume = "run the same backfill again to resume (finished units are skipped)"
                + (partial.options().force() ? "; with --force, resume with --from " + step.day()
                        + " so the days already redone are not redone again" : "");
        if (interrupted) {
            if (ctx.sparkStarted()) {
                // the unit's jobs may still run on the executors: stop them before returning
                ctx.spark().sparkContext().cancelJobGroup(jobGroup);
            }
            String message = "interrupted " + (cause == null ? "before " : "during ") + step + " (" + step.number()
                    + "/" + partial.plan().steps().size() + "); " + done + "; " + resume;
            LOG.warn("backfill {}", message);
            return new StoppedException(message, step, partial, true, cause);
        }
        String message = step + " FAILED: " + Failures.describe(cause) + " -- " + done + "; fix the cause and " + resume;
        LOG.warn("backfill {}", message);
        return new StoppedException(message, step, partial, false, cause);
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    /** Counts, rates and the ETA, logged after every unit. */
    private static final class Progress {
        private final Plan plan;
        private final Instant start;
        private int hoursRun;
        private int hoursDeferred;
        private int daysRun;
        private long hourNanos;
        private long dayNanos;
        private long rowsIn;
        private long rowsBad;
        private long keys;

        Progress(Plan plan, Instant start) {
            this.plan = plan;
            this.start = start;
        }

        void hour(Step step, HourlyJob.Outcome o, Duration took) {
            hoursRun++;
            hourNanos += took.toNanos();
            rowsIn += o.rowsIn();
            rowsBad += o.rowsBad();
            if (o.resultsDeferred()) {
                hoursDeferred++;
            } else {
                keys = o.results().keys();
            }
            Duration elapsed = Duration.between(start, Instant.now());
            LOG.info(String.format(Locale.ROOT, "backfill [%d/%d] %s: %,d rows%s, %,d keys written%s in %s | %,d rows, "
                    + "%,.0f rows/s, ETA %s", step.number(), plan.steps().size(), o.hour(), o.rowsIn(),
                    o.rowsBad() == 0 ? "" : String.format(Locale.ROOT, " (%,d quarantined)", o.rowsBad()),
                    o.keysWritten(), o.resultsDeferred() ? " (results deferred to the fold)" : "", duration(took),
                    rowsIn, rowsIn * 1000.0 / Math.max(elapsed.toMillis(), 1), duration(eta(step))));
        }

        void day(Step step, DailyJob.Outcome o, Duration took) {
            daysRun++;
            dayNanos += took.toNanos();
            keys = o.results().keys();
            LOG.info(String.format(Locale.ROOT, "backfill [%d/%d] %s daily: %d hour(s) folded%s, %,d keys changed, "
                    + "%,d ranked in %s | day %d of %d, ETA %s", step.number(), plan.steps().size(), o.day(),
                    o.hoursFolded(), o.missingHours().isEmpty() ? "" : " (" + o.missingHours().size() + " missing)",
                    o.keysChanged(), o.results().keys(), duration(took), daysRun, plan.days(), duration(eta(step))));
        }

        /** Time left: the remaining hours and days at the average durations so far. */
        private Duration eta(Step current) {
            long hoursLeft = plan.steps().stream().filter(s -> s.number() > current.number() && s.isHour()).count();
            long daysLeft = plan.steps().stream().filter(s -> s.number() > current.number() && !s.isHour()).count();
            double perHour = hoursRun == 0 ? 0 : (double) hourNanos / hoursRun;
            double perDay = daysRun == 0 ? perHour : (double) dayNanos / daysRun;
            return Duration.ofNanos((long) (hoursLeft * perHour + daysLeft * perDay));
        }

        Outcome outcome(Options options, String schema, PublishJob.Outcome published, Instant start) {
            return new Outcome(options, schema, plan, hoursRun, hoursDeferred, daysRun, rowsIn, rowsBad, keys, published,
                    Duration.between(start, Instant.now()));
        }
    }

    /** {@code 1.4s}, {@code 45s}, {@code 3m 05s}, {@code 2h 10m}. */
    public static String duration(Duration d) {
        if (d.toMillis() < 9950) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
    }
}
