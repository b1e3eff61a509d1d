package adrank.jobs.cli;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.PublishJob;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.EmbeddedHazelcast;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.local.EmbeddedHBase;
import adrank.testdata.GenerationSummary;
import adrank.testdata.GeneratorSettings;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rank demo}: the whole pipeline end to end on the embedded default — generate data, run
 * every hour and day, publish a snapshot, print a few ranks and look keys up like an ad server.
 * Uses the local stack when it runs, else starts an embedded HBase and Hazelcast member inside
 * this process for the duration of the demo.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate data, run all hours and days into HBase, publish to Hazelcast, print ranks and lookups "
                + "(embedded stack).")
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AdrankConfig config = options.config();
        Instant start = Instant.now();
        GeneratorSettings settings;
        try {
            settings = GenerateCommand.configured(config.generate())
                    .days(days)
                    .eventsPerHour(eventsPerHour != null ? eventsPerHour : config.generate().eventsPerHour())
                    .badRowsPerHour(badRowsPerHour)
                    .build();
        } catch (IllegalArgumentException e) {
            throw GenerateCommand.usage(spec, e);
        }
        EmbeddedHBase embedded = null;
        EmbeddedHazelcast embeddedHazelcast = null;
        if (!reachable(config.hbase().zookeeperPort())) {
            LOG.info("demo: no HBase at 127.0.0.1:{}; starting an embedded one in this process (data in {})",
                    config.hbase().zookeeperPort(), config.local().hbaseDir());
            embedded = EmbeddedHBase.start(config.local().hbaseDir(), config.hbase().zookeeperPort());
        }
        if (!reachable(config.hazelcast().localPort())) {
            LOG.info("demo: no Hazelcast at 127.0.0.1:{}; starting an embedded member in this process",
                    config.hazelcast().localPort());
            embeddedHazelcast = EmbeddedHazelcast.start(config.hazelcast());
        }
        try (RunContext ctx = new RunContext(config)) {
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
            PublishJob.Outcome published = PublishJob.run(ctx);
            LOG.info("publish {}", PublishCommand.describe(published));

            List<StoredRow> samples = samples(ctx);
            printRanks(samples);
            List<String> keys = new ArrayList<>();
            samples.forEach(r -> keys.add(r.key()));
            // a key no ad server has seen: the reader falls back to its parent segments
            keys.add(samples.get(0).key().replaceFirst("^[^|]*", "ad999999"));
            try (RankReader reader = RankReader.connect(config.hazelcast(), config.reader(), config.key(),
                    config.schema())) {
                for (String key : keys) {
                    Lookup lookup = reader.lookup(key, "demo-unit");
                    System.out.println("lookup " + LookupCommand.summary(lookup));
                }
            }
            Summary.print("demo", days + " day(s), " + days * 24 + " hours: " + Summary.count(rows) + " rows in, "
                    + Summary.count(quarantined) + " quarantined (see " + config.input().quarantineDir() + "), "
                    + "schema " + config.schema() + " in HBase, published v" + published.result().version() + " ("
                    + Summary.count(published.result().entries().count()) + " entries) to Hazelcast, "
                    + Summary.seconds(Duration.between(start, Instant.now()))
                    + ". Next: bin/rank local up, then status, show KEY, export, versions list, lookup KEY");
        } finally {
            if (embeddedHazelcast != null) {
                embeddedHazelcast.close();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
        return 0;
    }

    /** The heaviest key, a thin one, and one whose key needed escaping (all with results). */
    private static List<StoredRow> samples(RunContext ctx) throws IOException {
        List<StoredRow> all = new ArrayList<>();
        new RankRows(ctx.hbaseWithTables(), ctx.schema()).forEach(r -> {
            if (r.results().containsKey("rank")) {
                all.add(r);
            }
        });
        Map<String, StoredRow> picked = new LinkedHashMap<>();
        Comparator<StoredRow> byImps = Comparator.comparingLong(r -> r.total() == null ? 0 : r.total().counters().imps());
        all.stream().max(byImps).ifPresent(r -> picked.put(r.key(), r));
        all.stream().filter(r -> r.total() != null && r.total().counters().imps() > 0).min(byImps)
                .ifPresent(r -> picked.put(r.key(), r));
        all.stream().filter(r -> r.key().contains("\\x20")).findFirst().ifPresent(r -> picked.put(r.key(), r));
        return new ArrayList<>(picked.values());
    }

    /** The sample rows as a small table: key, impressions, own CPM, rank, weight, parent, VPC. */
    private static void printRanks(List<StoredRow> samples) {
        System.out.printf(java.util.Locale.ROOT, "%-58s %9s %12s %12s %7s %12s  %s%n", "KEY", "TOTAL_IMP", "CPM", "RANK",
                "WEIGHT", "VPC_MEAN", "PARENT");
        for (StoredRow row : samples) {
            java.util.Map<String, String> r = row.results();
            System.out.printf(java.util.Locale.ROOT, "%-58s %,9d %12s %12s %7s %12s  %s%n", row.key(),
                    row.total() == null ? 0 : row.total().counters().imps(), fixed(r.get("cpm")), fixed(r.get("rank")),
                    fixed3(r.get("weight")), fixed(r.get("vpc_mean")), r.getOrDefault("parent", ""));
        }
    }

    private static String fixed(String number) {
        return number == null || number.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%,.0f",
                Double.parseDouble(number));
    }

    private static String fixed3(String number) {
        return number == null || number.isEmpty() ? "-" : String.format(java.util.Locale.ROOT, "%.3f",
                Double.parseDouble(number));
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
