package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.GenerateConfig;
import adrank.testdata.EventGenerator;
import adrank.testdata.ExperimentSettings;
import adrank.testdata.GenerationSummary;
import adrank.testdata.GeneratorSettings;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write deterministic, realistic test data: gzip hour partitions of t_raw_events (one file per "
                + "ad server, _SUCCESS last) and truth/keys.tsv with each key's true rates. Defaults from generate.*.")
final class GenerateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Data directory (default: input.path).")
    Path out;

    @Option(names = "--seed", description = "Random seed.")
    Long seed;

    @Option(names = "--start-day", paramLabel = "yyyy-MM-dd", description = "First day.")
    LocalDate startDay;

    @Option(names = "--days", description = "Number of days.")
    Integer days;

    @Option(names = "--hours-per-day", description = "Generate only the first N hours of each day (default 24).")
    Integer hoursPerDay;

    @Option(names = "--events-per-hour", description = "Mean events per hour (diurnal curve around it).")
    Long eventsPerHour;

    @Option(names = "--keys", description = "Distinct impression keys.")
    Integer keys;

    @Option(names = "--ad-servers", description = "Files per hour.")
    Integer adServers;

    @Option(names = "--bad-rows-per-hour", description = "Malformed lines injected per hour.")
    Integer badRowsPerHour;

    @Option(names = "--zipf-exponent", description = "Skew of the keys' traffic (0 = uniform; default 1.1).")
    Double zipfExponent;

    @Option(names = "--cpa-share", paramLabel = "SHARE",
            description = "Share of ads billed per conversion (revenue on conv lines), at most 0.6; 0 = none.")
    Double cpaShare;

    @Option(names = "--view-through-share", paramLabel = "SHARE",
            description = "Share of conversions that follow no click (view-through); 0 = none.")
    Double viewThroughShare;

    @Option(names = "--click-lag-median", paramLabel = "DURATION", converter = HoconDuration.class,
            description = "Median impression -> click delay, e.g. 40s (log-normal; late clicks land in later hours). "
                    + "0 = within a minute, in the impression's hour.")
    Duration clickLagMedian;

    @Option(names = "--conversion-lag-median", paramLabel = "DURATION", converter = HoconDuration.class,
            description = "Median click (or impression) -> conversion delay, e.g. 3h (log-normal, at most 10 days). "
                    + "0 = within 15 minutes, in the same hour.")
    Duration conversionLagMedian;

    /** The options that shape a simulated experiment (meaningless without {@code --experiment}). */
    private static final List<String> EXPERIMENT_OPTIONS = List.of("--experiment-salt", "--experiment-scope",
            "--experiment-schema", "--a-version", "--b-version", "--b-share", "--logged-b-share", "--b-lift", "--units");

    @Option(names = "--experiment", paramLabel = "NAME", description = "Simulate a running experiment: every "
            + "line gets unit_id and variant (NAME:A|B:SCHEMA:vN inside the scope, empty outside); units are split "
            + "with the reader's UnitSplit; truth in truth/experiment.tsv.")
    String experiment;

    @Option(names = "--experiment-salt", paramLabel = "SALT", description = "Unit salt (default: the name).")
    String experimentSalt;

    @Option(names = "--experiment-scope", paramLabel = "DIM=VALUE", defaultValue = "geo=MX",
            description = "Keys in the experiment: geo|device|os|browser|connection=VALUE, or 'all' (default ${DEFAULT-VALUE}).")
    String experimentScope;

    @Option(names = "--experiment-schema", paramLabel = "SCHEMA", defaultValue = "default",
            description = "Schema both arms log (default ${DEFAULT-VALUE}).")
    String experimentSchema;

    @Option(names = "--a-version", defaultValue = "1", paramLabel = "N", description = "Version A logs (default ${DEFAULT-VALUE}).")
    int aVersion;

    @Option(names = "--b-version", defaultValue = "2", paramLabel = "N", description = "Version B logs (default ${DEFAULT-VALUE}).")
    int bVersion;

    @Option(names = "--b-share", defaultValue = "0.5", paramLabel = "SHARE",
            description = "The design's B share of units (default ${DEFAULT-VALUE}).")
    double bShare;

    @Option(names = "--logged-b-share", paramLabel = "SHARE", description = "A broken split: the share of units "
            + "the servers really route to B (e.g. 0.45 while --b-share says 0.5; default: --b-share).")
    Double loggedBShare;

    @Option(names = "--b-lift", defaultValue = "0", paramLabel = "LIFT", description = "B's true relative CPM lift "
            + "inside the scope: B's revenue there times 1 + LIFT (0 = A/A; default ${DEFAULT-VALUE}).")
    double bLift;

    @Option(names = "--units", defaultValue = "20000", paramLabel = "N",
            description = "Traffic units in the population (default ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--tidy", description = "Switch all four realism features off: no CPA ads, no view-through "
            + "conversions, every click and conversion in its impression's hour and file (overrides the four options).")
    boolean tidy;

    @Override
    public Integer call() throws Exception {
        AdrankConfig config = options.config();
        GeneratorSettings settings;
        try {
            settings = settings(config.generate());
        } catch (IllegalArgumentException e) {
            // generate.* is validated with the config, so an option is out of range
            throw usage(spec, e);
        }
        ExperimentSettings simulated;
        try {
            simulated = experiment();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--experiment: " + e.getMessage(), e);
        }
        Path target = out != null ? out : Path.of(config.input().path().replaceFirst("^file:", ""));
        GenerationSummary s = generate(settings, simulated, target);
        Summary.print("generate", String.format(Locale.ROOT,
                "%d day(s) from %s, %d hour partitions, %d files, %s events (%s imps, %s clicks, %s convs, %s malformed), "
                        + "%d keys, %.1f MB gzip in %s (%s events) -> %s; late from earlier hours: %.1f %% of clicks, "
                        + "%.1f %% of convs (%.1f %% from earlier days); view-through %.1f %% of convs",
                settings.days(), settings.startDay(), s.hours(), s.files(), Summary.count(s.events()),
                Summary.count(s.impressions()), Summary.count(s.clicks()), Summary.count(s.conversions()),
                Summary.count(s.badRows()), s.distinctKeys(), s.bytesCompressed() / 1e6, Summary.seconds(s.elapsed()),
                Summary.rate(s.events(), s.elapsed()), target, percent(s.lateClicks(), s.clicks()),
                percent(s.lateConversions(), s.conversions()), percent(s.earlierDayConversions(), s.conversions()),
                percent(s.viewThroughConversions(), s.conversions()))
                + (simulated == null ? "" : String.format(Locale.ROOT, "; experiment %s (B %.3f of units, logged %.3f, "
                        + "CPM lift %+.1f %% in %s, %,d units; truth in %s)", simulated.name(), simulated.bShare(),
                        simulated.loggedBShare(), simulated.lift() * 100, experimentScope, simulated.units(),
                        EventGenerator.experimentTruthFile(target))));
        return 0;
    }

    /** The simulated experiment of the options, or null without {@code --experiment}. */
    ExperimentSettings experiment() {
        if (experiment == null) {
            // an experiment option without --experiment would be silently ignored
            List<String> given = EXPERIMENT_OPTIONS.stream()
                    .filter(o -> spec.commandLine().getParseResult().hasMatchedOption(o)).toList();
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("missing, but " + String.join(", ", given)
                        + " shape a simulated experiment (add --experiment NAME)");
            }
            return null;
        }
        String dimension = null;
        String value = null;
        if (!experimentScope.equals("all")) {
            int eq = experimentScope.indexOf('=');
            if (eq <= 0 || eq == experimentScope.length() - 1) {
                throw new IllegalArgumentException("--experiment-scope '" + experimentScope + "' is not DIM=VALUE or all");
            }
            dimension = experimentScope.substring(0, eq);
            value = experimentScope.substring(eq + 1);
        }
        return new ExperimentSettings(experiment, experimentSalt != null ? experimentSalt : experiment,
                experimentSchema, aVersion, bVersion, bShare, loggedBShare != null ? loggedBShare : bShare, bLift,
                dimension, value, units);
    }

    /** "days must be between 1 and 3660, got 0" as bad usage of {@code --days}. */
    static ParameterException usage(CommandSpec spec, IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        int space = message.indexOf(' ');
        if (space > 0 && message.substring(0, space).matches("[a-z][A-Za-z]*")) {
            message = "--" + message.substring(0, space).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT)
                    + message.substring(space);
        }
        return new ParameterException(spec.commandLine(), message, e);
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    GeneratorSettings settings(GenerateConfig defaults) {
        GeneratorSettings settings = GeneratorSettings.builder()
                .seed(seed != null ? seed : defaults.seed())
                .startDay(startDay != null ? startDay : defaults.startDay())
                .days(days != null ? days : defaults.days())
                .hoursPerDay(hoursPerDay != null ? hoursPerDay : 24)
                .eventsPerHour(eventsPerHour != null ? eventsPerHour : defaults.eventsPerHour())
                .keys(keys != null ? keys : defaults.keys())
                .adServers(adServers != null ? adServers : defaults.adServers())
                .badRowsPerHour(badRowsPerHour != null ? badRowsPerHour : defaults.badRowsPerHour())
                .zipfExponent(zipfExponent != null ? zipfExponent : GeneratorSettings.defaults().zipfExponent())
                .cpaShare(cpaShare != null ? cpaShare : defaults.cpaShare())
                .viewThroughShare(viewThroughShare != null ? viewThroughShare : defaults.viewThroughShare())
                .clickLagMedian(clickLagMedian != null ? clickLagMedian : defaults.clickLagMedian())
                .conversionLagMedian(conversionLagMedian != null ? conversionLagMedian : defaults.conversionLagMedian())
                .build();
        return tidy ? settings.tidy() : settings;
    }

    /** Settings of {@code generate.*} as the generator's, for commands that generate with the configured defaults. */
    static GeneratorSettings.Builder configured(GenerateConfig config) {
        return GeneratorSettings.builder()
                .seed(config.seed())
                .startDay(config.startDay())
                .days(config.days())
                .eventsPerHour(config.eventsPerHour())
                .keys(config.keys())
                .adServers(config.adServers())
                .badRowsPerHour(config.badRowsPerHour())
                .cpaShare(config.cpaShare())
                .viewThroughShare(config.viewThroughShare())
                .clickLagMedian(config.clickLagMedian())
                .conversionLagMedian(config.conversionLagMedian());
    }

    /** A duration the way the config writes it: {@code 40s}, {@code 3h}, {@code 0}. */
    static final class HoconDuration implements ITypeConverter<Duration> {

        @Override
        public Duration convert(String value) {
            try {
                return ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"").getDuration("d");
            } catch (ConfigException e) {
                throw new TypeConversionException("'" + value + "' is not a duration such as 40s, 3h or 0");
            }
        }
    }

    /** Generates with a progress line per finished day. */
    static GenerationSummary generate(GeneratorSettings settings, Path target) throws Exception {
        return generate(settings, null, target);
    }

    /** As {@link #generate(GeneratorSettings, Path)} with a simulated experiment (or null). */
    static GenerationSummary generate(GeneratorSettings settings, ExperimentSettings experiment, Path target)
            throws Exception {
        LOG.info("generating {} day(s) x {} hour(s) from {}, ~{} events/hour, {} keys into {}", settings.days(),
                settings.hoursPerDay(), settings.startDay(), settings.eventsPerHour(), settings.keys(), target);
        return EventGenerator.generate(settings, experiment, target, hour -> {
            if (hour.hr() == settings.hoursPerDay() - 1) {
                LOG.info("generated {} (last hour: {} events)", hour.dt(), hour.events());
            }
        }, Math.min(settings.adServers(), Runtime.getRuntime().availableProcessors()));
    }
}
