package adrank.jobs.cli;

import adrank.jobs.pipeline.AbtestJob;
import adrank.jobs.pipeline.AbtestReport;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.config.AdrankConfig;
import adrank.udfs.experiment.Interval;
import adrank.udfs.experiment.Metric;
import adrank.udfs.experiment.Readout;
import adrank.udfs.experiment.Variant;
import adrank.udfs.stats.HourId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "abtest", mixinStandardHelpOptions = true,
        description = "Read out A/B experiments from the raw events' unit_id and variant columns.",
        subcommands = {AbtestCommand.Report.class})
final class AbtestCommand implements Runnable {

    /** The longest range one readout reads (a quarter of hours). */
    static final int MAX_HOURS = 24 * 92;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Per arm units, impressions, clicks, conversions, revenue; CPM, CTR, CVR and VPC with "
                    + "delta-method intervals clustered by unit; B's relative lift with a fixed and a sequential "
                    + "(always-valid) interval; a sample-ratio-mismatch check. A Spark job over the hours' raw "
                    + "events (input.* as for hourly).")
    static final class Report implements Callable<Integer> {

        @Mixin
        ConfigOptions options;

        @Spec
        CommandSpec spec;

        @Option(names = "--experiment", required = true, paramLabel = "NAME",
                description = "The experiment, as its variant column names it.")
        String experiment;

        @Option(names = "--from", required = true, paramLabel = "yyyy-MM-dd[THH]",
                description = "First hour (a day means its hour 00).")
        String from;

        @Option(names = "--to", required = true, paramLabel = "yyyy-MM-dd[THH]",
                description = "Last hour, inclusive (a day means its hour 23).")
        String to;

        @Option(names = "--b-share", paramLabel = "SHARE",
                description = "The design's B share of units, what the SRM check expects (default: the share of the "
                        + "experiment running in the schema's control record, `versions ab --experiment`).")
        Double bShare;

        @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "LEVEL",
                description = "Interval level (default ${DEFAULT-VALUE}).")
        double confidence;

        @Option(names = "--sequential-tuning", defaultValue = "5000", paramLabel = "N",
                description = "N* of the sequential interval: the units (both arms) at which it is tightest "
                        + "(default ${DEFAULT-VALUE}, GrowthBook's).")
        double tuning;

        @Option(names = "--srm-threshold", defaultValue = "0.001", paramLabel = "P",
                description = "Flag a sample ratio mismatch below this p-value (default ${DEFAULT-VALUE}).")
        double srmThreshold;

        @Option(names = "--skip-missing", description = "Skip hours without a partition directory instead of failing.")
        boolean skipMissing;

        @Option(names = "--json", description = "Print the readout as one JSON document instead of the table.")
        boolean json;

        @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page (works "
                + "offline): cumulative CPM lift with its intervals over the hours, per-arm CPM, the table.")
        Path html;

        @Override
        public Integer call() throws Exception {
            if (!Variant.EXPERIMENT_NAME.matcher(experiment).matches()) {
                throw usage("--experiment '" + experiment + "' must match " + Variant.EXPERIMENT_NAME);
            }
            HourId first = hour("--from", from, 0);
            HourId last = hour("--to", to, 23);
            if (last.compareTo(first) < 0) {
                throw usage("--to (" + to + ") must not be before --from (" + from + ")");
            }
            List<HourId> hours = AbtestJob.hours(first, last);
            if (hours.size() > MAX_HOURS) {
                throw usage("--from .. --to spans " + hours.size() + " hours, at most " + MAX_HOURS);
            }
            if (bShare != null && !(bShare > 0 && bShare < 1)) {
                throw usage("--b-share (" + bShare + ") must be between 0 and 1 (exclusive)");
            }
            if (!(confidence > 0 && confidence < 1)) {
                throw usage("--confidence (" + confidence + ") must be between 0 and 1 (exclusive)");
            }
            if (!(tuning >= 1)) {
                throw usage("--sequential-tuning (" + tuning + ") must be at least 1");
            }
            if (!(srmThreshold > 0 && srmThreshold < 1)) {
                throw usage("--srm-threshold (" + srmThreshold + ") must be between 0 and 1 (exclusive)");
            }
            AdrankConfig config = options.config();
            if (config.input().table().equals("t_agg_key_hourly")) {
                throw usage("input.table t_agg_key_hourly has no traffic units; the readout needs raw events "
                        + "(t_raw_events or t_bin_events with unit_id and variant)");
            }
            AbtestJob.Outcome o;
            try (RunContext ctx = new RunContext(config)) {
                double share = bShare != null ? bShare : runningShare(ctx);
                o = AbtestJob.run(ctx, new AbtestJob.Request(experiment, hours, share, confidence, tuning,
                        srmThreshold, skipMissing));
            }
            if (json) {
                System.out.println(AbtestReport.json(o).toPrettyString());
            } else {
                AbtestReport.table(o, System.out);
            }
            if (html != null) {
                Files.writeString(html, AbtestReport.page(o), StandardCharsets.UTF_8);
            }
            Readout r = o.overall();
            Interval cpm = r.metrics().get(Metric.CPM).lift();
            Summary.print("abtest report", String.format(Locale.ROOT,
                    "%s, %d hour(s)%s: units A %s / B %s, CPM lift %+.2f %% [%+.2f, %+.2f] (%d %%), SRM %s (p %.3g)%s, %s",
                    experiment, o.hours().size(), o.missing().isEmpty() ? "" : " (" + o.missing().size() + " missing)",
                    Summary.count(r.a().units()), Summary.count(r.b().units()), cpm.estimate() * 100, cpm.lo() * 100,
                    cpm.hi() * 100, Math.round(confidence * 100), r.srm().mismatch() ? "MISMATCH" : "ok", r.srm().p(),
                    html == null ? "" : "; page " + html, Summary.seconds(o.elapsed())));
            return 0;
        }

        /**
         * The B share of the experiment running in the schema's control record (what the servers
         * route by), when it is the one asked for; else the user must say it.
         */
        private double runningShare(RunContext ctx) {
            VersionControl control = new SnapshotPublisher(ctx.hazelcast(), ctx.config().publish(),
                    ctx.config().key().dimensions()).control(ctx.config().schema());
            return control.shareOf(experiment).orElseThrow(() -> usage("experiment " + experiment
                    + " is not running in schema " + ctx.config().schema() + (control.hasExperiment() ? " (running: "
                    + control.experiment() + ")" : " (none runs)") + "; give its design share with --b-share"));
        }

        private ParameterException usage(String message) {
            return new ParameterException(spec.commandLine(), message);
        }

        /** {@code yyyy-MM-dd} (hour {@code dayHour}) or {@code yyyy-MM-ddTHH}. */
        private HourId hour(String option, String text, int dayHour) {
            try {
                if (text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                    return new HourId(LocalDate.parse(text), dayHour);
                }
                if (text.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}")) {
                    int hr = Integer.parseInt(text.substring(11));
                    if (hr <= 23) {
                        return new HourId(LocalDate.parse(text.substring(0, 10)), hr);
                    }
                }
            } catch (DateTimeParseException e) {
                // below
            }
            throw usage(option + " '" + text + "' is not yyyy-MM-dd or yyyy-MM-ddTHH");
        }
    }
}
