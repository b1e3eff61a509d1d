package adrank.jobs.cli;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.local.EmbeddedHBase;
import adrank.testdata.GenerationSummary;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rank demo}: the whole pipeline end to end on the embedded default — generate data, run
 * every hour and day, print a few stored rows. Uses the local stack when it runs, else starts an
 * embedded HBase inside this process for the duration of the demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate data, run all hours and days into HBase, print a few rows (embedded stack).")
final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--days", defaultValue = "2", description = "Days to generate and run (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--events-per-hour", description = "Mean events per hour (default: generate.events-per-hour).")
    Long eventsPerHour;

    @Option(names = "--bad-rows-per-hour", defaultValue = "2",
            description = "Malformed lines per hour, to show the quarantine (default ${DEFAULT-VALUE}).")
    int badRowsPerHour;

    @Override
    public Integer call() throws Exception {
        AdrankConfig config = options.config();
        Instant start = Instant.now();
        EmbeddedHBase embedded = null;
        if (!reachable(config)) {
            LOG.info("demo: no HBase at 127.0.0.1:{}; starting an embedded one in this process (data in {})",
                    config.hbase().zookeeperPort(), config.local().hbaseDir());
            embedded = EmbeddedHBase.start(config.local().hbaseDir(), config.hbase().zookeeperPort());
        }
        try (RunContext ctx = new RunContext(config)) {
            GeneratorSettings settings = GeneratorSettings.builder()
                    .seed(config.generate().seed())
                    .startDay(config.generate().startDay())
                    .days(days)
                    .eventsPerHour(eventsPerHour != null ? eventsPerHour : config.generate().eventsPerHour())
                    .keys(config.generate().keys())
                    .adServers(config.generate().adServers())
                    .badRowsPerHour(badRowsPerHour)
                    .build();
            GenerationSummary generated = GenerateCommand.generate(settings,
                    Path.of(config.input().path().replaceFirst("^file:", "")));
            LOG.info("demo: generated {} events in {} files", Summary.count(generated.events()), generated.files());

            long rows = 0;
            long quarantined = 0;
            for (int d = 0; d < days; d++) {
                LocalDate day = settings.startDay().plusDays(d);
                for (int h = 0; h < 24; h++) {
                    HourlyJob.Outcome hour = HourlyJob.run(ctx, new HourId(day, h));
                    rows += hour.rowsIn();
                    quarantined += hour.rowsBad();
                    LOG.info("hourly {}", HourlyCommand.describe(hour));
                }
                LOG.info("daily {}", DailyCommand.describe(DailyJob.run(ctx, day)));
            }
            List<StoredRow> samples = samples(ctx);
            RowJson json = new RowJson(new ImpressionKey(config.key().separator()), config.key().dimensions());
            for (StoredRow row : samples) {
                System.out.println(RowJson.MAPPER.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(json.toJson(row, false)));
            }
            Summary.print("demo", days + " day(s), " + days * 24 + " hours: " + Summary.count(rows) + " rows in, "
                    + Summary.count(quarantined) + " quarantined (see " + config.input().quarantineDir() + "), "
                    + "schema " + config.schema() + " in HBase; printed " + samples.size() + " rows in "
                    + Summary.seconds(Duration.between(start, Instant.now()))
                    + ". Next: bin/rank status, bin/rank show KEY, bin/rank export");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        return 0;
    }

    /** The heaviest key, a thin one, and one whose key needed escaping. */
    private static List<StoredRow> samples(RunContext ctx) throws IOException {
        List<StoredRow> all = new ArrayList<>();
        new RankRows(ctx.hbaseWithTables(), ctx.schema()).forEach(all::add);
        Map<String, StoredRow> picked = new LinkedHashMap<>();
        Comparator<StoredRow> byImps = Comparator.comparingLong(r -> r.total() == null ? 0 : r.total().counters().imps());
        all.stream().max(byImps).ifPresent(r -> picked.put(r.key(), r));
        all.stream().filter(r -> r.total() != null && r.total().counters().imps() > 0).min(byImps)
                .ifPresent(r -> picked.put(r.key(), r));
        all.stream().filter(r -> r.key().contains("\\x20")).findFirst().ifPresent(r -> picked.put(r.key(), r));
        return new ArrayList<>(picked.values());
    }

    private static boolean reachable(AdrankConfig config) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", config.hbase().zookeeperPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
