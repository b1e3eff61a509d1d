package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.GenerateConfig;
import adrank.testdata.EventGenerator;
import adrank.testdata.GenerationSummary;
import adrank.testdata.GeneratorSettings;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write deterministic, realistic test data: gzip hour partitions of t_raw_events (one file per "
                + "ad server, _SUCCESS last) and truth/keys.tsv with each key's true rates. Defaults from generate.*.")
final class GenerateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

    @Mixin
    ConfigOptions options;

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

    @Override
    public Integer call() throws Exception {
        AdrankConfig config = options.config();
        GeneratorSettings settings = settings(config.generate());
        Path target = out != null ? out : Path.of(config.input().path().replaceFirst("^file:", ""));
        GenerationSummary s = generate(settings, target);
        Summary.print("generate", String.format(Locale.ROOT,
                "%d day(s) from %s, %d hour partitions, %d files, %s events (%s imps, %s clicks, %s convs, %s malformed), "
                        + "%d keys, %.1f MB gzip in %s (%s events) -> %s",
                settings.days(), settings.startDay(), s.hours(), s.files(), Summary.count(s.events()),
                Summary.count(s.impressions()), Summary.count(s.clicks()), Summary.count(s.conversions()),
                Summary.count(s.badRows()), s.distinctKeys(), s.bytesCompressed() / 1e6, Summary.seconds(s.elapsed()),
                Summary.rate(s.events(), s.elapsed()), target));
        return 0;
    }

    GeneratorSettings settings(GenerateConfig defaults) {
        return GeneratorSettings.builder()
                .seed(seed != null ? seed : defaults.seed())
                .startDay(startDay != null ? startDay : defaults.startDay())
                .days(days != null ? days : defaults.days())
                .hoursPerDay(hoursPerDay != null ? hoursPerDay : 24)
                .eventsPerHour(eventsPerHour != null ? eventsPerHour : defaults.eventsPerHour())
                .keys(keys != null ? keys : defaults.keys())
                .adServers(adServers != null ? adServers : defaults.adServers())
                .badRowsPerHour(badRowsPerHour != null ? badRowsPerHour : defaults.badRowsPerHour())
                .zipfExponent(zipfExponent != null ? zipfExponent : GeneratorSettings.defaults().zipfExponent())
                .build();
    }

    /** Generates with a progress line per finished day. */
    static GenerationSummary generate(GeneratorSettings settings, Path target) throws Exception {
        LOG.info("generating {} day(s) x {} hour(s) from {}, ~{} events/hour, {} keys into {}", settings.days(),
                settings.hoursPerDay(), settings.startDay(), settings.eventsPerHour(), settings.keys(), target);
        return EventGenerator.generate(settings, target, hour -> {
            if (hour.hr() == settings.hoursPerDay() - 1) {
                LOG.info("generated {} (last hour: {} events)", hour.dt(), hour.events());
            }
        });
    }
}
