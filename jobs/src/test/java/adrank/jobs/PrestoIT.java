package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.EtlJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.ConfigError;
import adrank.loaders.config.InputConfig;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hive.HourPartitions;
import adrank.loaders.presto.PrestoHourReader;
import adrank.loaders.presto.PrestoJdbc;
import adrank.loaders.presto.PrestoSql;
import adrank.loaders.presto.PrestoWarehouse;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.spark.ParseAndCombine;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Presto engine against a real Presto 0.287 server (started once per JVM, on first use),
 * real Spark and a real HBase mini cluster: the Spark and Presto paths leave the same state,
 * {@code rank etl} is idempotent and agrees with Spark's own aggregation with either engine,
 * names from config cannot reach SQL, and an unreachable Presto fails the run cleanly.
 */
@ExtendWith(AdrankStack.class)
class PrestoIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sparkPathAndPrestoPathExportTheSameBytesForTwoGeneratedDays(AdrankStack.Services stack) throws Exception {
        LocalDate start = LocalDate.of(2026, 7, 1);
        int hoursPerDay = 4;
        GeneratorSettings settings = GeneratorSettings.builder().seed(11).startDay(start).days(2)
                .hoursPerDay(hoursPerDay).eventsPerHour(4_000).keys(600).adServers(2).badRowsPerHour(6).build();
        String sparkExport;
        Path data;
        try (RunContext spark = stack.newContext("sparkpath", Map.of())) {
            data = Path.of(spark.config().input().path());
            EventGenerator.generate(settings, data, null);
            for (int d = 0; d < 2; d++) {
                for (int h = 0; h < hoursPerDay; h++) {
                    HourlyJob.run(spark, new HourId(start.plusDays(d), h));
                }
                DailyJob.run(spark, start.plusDays(d));
            }
            sparkExport = Export.jsonLines(spark);
        }
        String prestoExport;
        // the same raw files; the ETL writes t_bin_events and t_agg_key_hourly beside them
        try (RunContext presto = stack.newPrestoContext("prestopath", Map.of("input.engine", "presto",
                "input.path", data.toString()))) {
            for (int d = 0; d < 2; d++) {
                for (int h = 0; h < hoursPerDay; h++) {
                    HourId hour = new HourId(start.plusDays(d), h);
                    EtlJob.Outcome etl = EtlJob.run(presto, hour, "presto");
                    assertThat(etl.rowsBad()).isEqualTo(6);
                    HourlyJob.Outcome o = HourlyJob.run(presto, hour);
                    assertThat(o.rowsIn()).isEqualTo(etl.binRows());
                    assertThat(o.keysWritten()).isEqualTo(etl.aggKeys());
                }
                DailyJob.run(presto, start.plusDays(d));
            }
            prestoExport = Export.jsonLines(presto);
        }
        assertThat(sparkExport.lines().count()).isGreaterThan(300);
        assertThat(prestoExport).isEqualTo(sparkExport);
    }

    @Test
    void etlTwiceGivesTheSameOrcAndAggregatesAsSparksOwnAggregationWithEitherEngine(AdrankStack.Services stack)
            throws Exception {
        try (RunContext ctx = stack.newPrestoContext("etl", Map.of("input.max-bad-fraction", "0.2"))) {
            HourId hour = new HourId(LocalDate.of(2026, 8, 1), 9);
            Path data = Path.of(ctx.config().input().path());
            TestHours.writeHourBytes(data, hour.day().toString(), hour.hr(), rawHourWithText());

            EtlJob.Outcome first = EtlJob.run(ctx, hour, "presto");
            List<String> orc = orcRows(ctx, first.binLocation());
            Map<String, List<Long>> agg = aggregates(ctx, first.aggLocation());
            List<String> files = dataFiles(first.binLocation());
            EtlJob.Outcome second = EtlJob.run(ctx, hour, "presto");
            assertThat(orcRows(ctx, second.binLocation())).isEqualTo(orc);
            assertThat(aggregates(ctx, second.aggLocation())).isEqualTo(agg);
            assertThat(dataFiles(second.binLocation())).hasSameSizeAs(files).doesNotContainAnyElementsOf(files);
            assertThat(Path.of(second.binLocation(), "_SUCCESS")).exists();
            assertThat(Path.of(second.aggLocation(), "_SUCCESS")).exists();

            // Spark's own aggregation of the raw hour (the hourly job's parser and combiner)
            Map<String, List<Long>> expected = sparkAggregation(ctx, hour);
            assertThat(expected).hasSize(11);
            assertThat(agg).isEqualTo(expected);
            assertThat((long) orc.size()).isEqualTo(first.binRows()).isEqualTo(203);
            assertThat(first.rowsIn()).isEqualTo(orc.size() + 13);
            assertThat(first.badReasons()).containsOnlyKeys("column_count", "bad_timestamp", "bad_number",
                    "negative_money", "unknown_event", "empty_key_component", "invalid_utf8", "control_character",
                    "bad_variant");
            assertThat(first.badReasons()).containsEntry("bad_variant", 2L);
            assertThat(first.badReasons()).containsEntry("invalid_utf8", 2L).containsEntry("control_character", 3L);
            // and what the hourly job gets through Presto
            assertThat(throughPresto(ctx, hour)).isEqualTo(expected);
            List<List<String>> prestoRejects = quarantined(first.quarantine());

            // the Spark engine writes the same rows and aggregates (twice, too), and rejects the same rows
            EtlJob.Outcome spark = EtlJob.run(ctx, hour, "spark");
            EtlJob.Outcome sparkAgain = EtlJob.run(ctx, hour, "spark");
            assertThat(orcRows(ctx, sparkAgain.binLocation())).isEqualTo(orc);
            assertThat(aggregates(ctx, sparkAgain.aggLocation())).isEqualTo(expected);
            assertThat(spark.badReasons()).isEqualTo(first.badReasons());
            assertThat(quarantined(sparkAgain.quarantine())).isEqualTo(prestoRejects);
            // Presto reads what Spark wrote
            assertThat(throughPresto(ctx, hour)).isEqualTo(expected);
        }
    }

    @Test
    void namesFromConfigWithQuotesOrSemicolonsAreRefusedBeforeAnySqlIsSent(AdrankStack.Services stack)
            throws Exception {
        String marker = "adrank_injection_probe";
        List<String> bad = List.of("t_agg\"; DROP TABLE t_bin_events; -- " + marker, "t'" + marker, marker + ";x",
                marker + " x", "hive." + marker);
        for (String key : List.of("presto.table", "presto.schema", "presto.catalog", "etl.agg-table", "etl.raw-table")) {
            for (String value : bad) {
                assertThatThrownBy(() -> stack.newConfig("inject", Map.of(key, value)))
                        .isInstanceOf(ConfigError.class).hasMessageContaining(key).hasMessageContaining("identifier");
            }
        }
        // through the command line: a configuration error (exit 2) naming the key, before any work
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = RankCli.commandLine().execute("etl", "--dt", "2026-08-01", "--hr", "9", "--engine", "presto",
                    "-Dpresto.url=" + stack.presto().jdbcUrl(), "-Dpresto.table=t;DROP TABLE x " + marker,
                    "-Detl.agg-table=t;DROP TABLE x " + marker);
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(RankCli.EXIT_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("rank etl: configuration error:")
                .contains("must be an identifier");
        // the SQL layer refuses such names itself, whoever built the config
        assertThatThrownBy(() -> PrestoSql.id("table", "t\"; DROP TABLE x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PrestoSql.locationLiteral("file:/tmp/x'; DROP TABLE y"))
                .isInstanceOf(IllegalArgumentException.class);
        // and the server never saw any of it
        List<String> seen = PrestoJdbc.of(stack.newConfig("inject", Map.of("presto.url", stack.presto().jdbcUrl()))
                .presto()).query("list queries", "SELECT query FROM system.runtime.queries", rs -> rs.getString(1));
        assertThat(seen).isNotEmpty().noneMatch(q -> q.contains(marker));
    }

    @Test
    void unreachablePrestoFailsNamingTheUrlAfterBoundedRetriesAndLeavesHBaseUntouched(AdrankStack.Services stack)
            throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        String url = "jdbc:presto://127.0.0.1:" + port;
        AdrankConfig prestoConfig = stack.newConfig("unreachable", Map.of("input.engine", "presto", "presto.url", url,
                "presto.connect-retries", "2", "presto.retry-wait", "500ms"));
        AdrankConfig sparkConfig = AdrankConfig.from("local",
                ConfigFactory.parseMap(Map.of("input.engine", "spark")).withFallback(prestoConfig.raw()));
        HourId earlier = new HourId(LocalDate.of(2026, 8, 2), 1);
        HourId hour = new HourId(LocalDate.of(2026, 8, 2), 2);
        Path data = Path.of(prestoConfig.input().path());
        String before;
        try (RunContext spark = new RunContext(sparkConfig)) {
            TestHours.writeHour(data, earlier.day().toString(), earlier.hr(), rawHour().subList(0, 20));
            HourlyJob.run(spark, earlier);
            before = Export.jsonLines(spark);
        }
        assertThat(before.lines().count()).isGreaterThan(3);
        // a ready aggregate hour, as the ETL leaves it
        Path agg = Files.createDirectories(data.resolve("t_agg_key_hourly/dt=" + hour.day() + "/hr=" + hour.hr()));
        Files.createFile(agg.resolve("_SUCCESS"));
        try (RunContext ctx = new RunContext(prestoConfig)) {
            Instant start = Instant.now();
            assertThatThrownBy(() -> HourlyJob.run(ctx, hour))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("cannot reach Presto at " + url)
                    .hasMessageContaining("after 3 attempt(s)")
                    .hasMessageContaining("nothing was written to HBase");
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
            assertThat(Export.jsonLines(ctx)).isEqualTo(before);
            RunRecord latest = ctx.ledger().latest(RunUnit.hour(hour)).orElseThrow();
            assertThat(latest.status()).isEqualTo(RunRecord.FAILED);
            // the ETL fails the same way, and writes nothing
            assertThatThrownBy(() -> EtlJob.run(ctx, earlier, "presto"))
                    .isInstanceOf(RunFailedException.class).hasMessageContaining("cannot reach Presto at " + url);
            assertThat(data.resolve("t_bin_events/dt=" + earlier.day() + "/hr=" + earlier.hr())).doesNotExist();
        }
    }

    /** 9 keys (some with the separator, spaces and backslashes), every malformed class once. */
    private static List<String> rawHour() {
        String ts = "2026-08-01 09:15:00";
        List<String> lines = new ArrayList<>();
        String[][] keys = {{"ad1", "US", "chrome"}, {"ad2", "US", "chrome"}, {"ad1", "FR", "firefox"},
            {"a|b", "c", "chrome"}, {"a", "b|c", "chrome"}, {"ad 1", "US", "Samsung Internet"},
            {"ad\\x201", "US", "Samsung\\x20Internet"}, {"ad3", "MX", "safari"}, {"ad4", "DE", "edge"}};
        String[] events = {"imp", "imp", "imp", "click", "imp", "conv", "imp"};
        for (int i = 0; i < 200; i++) {
            String[] k = keys[i % keys.length];
            String event = events[i % events.length];
            lines.add(TestHours.line(ts, event, k[0], k[1], k[2], event.equals("imp") ? 1000 + i : 0,
                    event.equals("conv") ? 50_000 + i : 0));
        }
        lines.add(String.join("\t", ts, "imp", "r", "ad1", "US"));
        lines.add(TestHours.line("2026-08-01 9:15", "imp", "ad1", "US", "chrome", 10, 0));
        lines.add(TestHours.line(ts, "imp", "ad1", "US", "chrome", 10, 0).replace("\t10\t", "\t12x\t"));
        lines.add(TestHours.line(ts, "conv", "ad1", "US", "chrome", 0, -3));
        lines.add(TestHours.line(ts, "impression", "ad1", "US", "chrome", 10, 0));
        lines.add(TestHours.line(ts, "imp", "ad1", "", "chrome", 10, 0));
        return lines;
    }

    /**
     * {@link #rawHour()} as bytes, plus two valid rows with non-ASCII keys and five rows whose
     * descriptive columns are not UTF-8 or hold control characters (both engines must reject them
     * with the same reasons and details, and keep the others).
     */
    private static List<byte[]> rawHourWithText() {
        List<byte[]> lines = new ArrayList<>();
        rawHour().forEach(l -> lines.add(l.getBytes(StandardCharsets.UTF_8)));
        String ts = "2026-08-01 09:15:00";
        lines.add(TestHours.line(ts, "imp", "ad5", "Zürich", "Samsung Internet", 700, 0).getBytes(StandardCharsets.UTF_8));
        lines.add(TestHours.line(ts, "imp", "ad5", "東京", "chrome", 800, 0).getBytes(StandardCharsets.UTF_8));
        String good = TestHours.line(ts, "imp", "ad1", "US", "chrome", 10, 0);
        lines.add(good.replace("\tUS\t", "\tU\u00FFS\t").getBytes(StandardCharsets.ISO_8859_1)); // the byte 0xFF
        byte[] torn = good.replace("\tchrome\t", "\tZür?\t").getBytes(StandardCharsets.UTF_8);
        torn[indexOf(torn, (byte) '?')] = (byte) 0xC3; // the first byte of a two-byte character, cut off
        lines.add(torn);
        lines.add(good.replace("android", "andr\0oid").getBytes(StandardCharsets.UTF_8));
        lines.add(good.replace("\tad1\t", "\tad\u007F1\t").getBytes(StandardCharsets.UTF_8));
        lines.add(good.replace("\tisp\t", "\tisp\u001B\t").getBytes(StandardCharsets.UTF_8)); // not a key column
        // the optional experiment columns: a valid 17-column row, a malformed variant, a variant without a unit
        lines.add((good + "\tu-7\tmx-cpm:B:exp_mx:v12").getBytes(StandardCharsets.UTF_8));
        lines.add((good + "\tu-7\tmx-cpm:C:exp_mx:v12").getBytes(StandardCharsets.UTF_8));
        lines.add((good + "\t\tmx-cpm:A:exp_mx:v3").getBytes(StandardCharsets.UTF_8));
        return lines;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    /** The ORC hour's rows, by column name, as sorted text. */
    private static List<String> orcRows(RunContext ctx, String dir) {
        Column[] columns = RawEventSchema.COLUMNS.stream().map(functions::col).toArray(Column[]::new);
        return ctx.spark().read().orc(dir).select(columns).collectAsList().stream()
                .map(r -> r.mkString("\u0001")).sorted().toList();
    }

    /** The aggregate hour's rows keyed by the encoded key: imps, clicks, convs, rev, val. */
    private static Map<String, List<Long>> aggregates(RunContext ctx, String dir) {
        ImpressionKey codec = new ImpressionKey(ctx.config().key().separator());
        List<String> dims = ctx.config().key().dimensions();
        Map<String, List<Long>> out = new TreeMap<>();
        for (Row row : ctx.spark().read().orc(dir).collectAsList()) {
            List<String> components = dims.stream().map(d -> row.<String>getAs(d)).toList();
            out.put(codec.encode(components), List.of(row.<Long>getAs("impressions"), row.<Long>getAs("clicks"),
                    row.<Long>getAs("conversions"), row.<Long>getAs("revenue_micros"), row.<Long>getAs("value_micros")));
        }
        return out;
    }

    private static Map<String, List<Long>> sparkAggregation(RunContext ctx, HourId hour) {
        InputConfig input = ctx.config().input();
        HourPartitions raw = new HourPartitions(ctx.spark(), new InputConfig("t_raw_events", "text", input.path(),
                "path", input.database(), input.maxBadFraction(), input.quarantineDir()));
        RawEventParser parser = new RawEventParser(ctx.config().key().dimensions(), ctx.config().key().separator());
        List<Row> rows = raw.read(raw.locate(hour)).mapPartitions(new ParseAndCombine(parser, true),
                Encoders.row(ParseAndCombine.SCHEMA)).filter("reason IS NULL").groupBy("key")
                .agg(functions.sum("imps"), functions.sum("clicks"), functions.sum("convs"), functions.sum("rev"),
                        functions.sum("val")).collectAsList();
        Map<String, List<Long>> out = new TreeMap<>();
        rows.forEach(r -> out.put(r.getString(0), List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4),
                r.getLong(5))));
        return out;
    }

    private static Map<String, List<Long>> throughPresto(RunContext ctx, HourId hour) {
        AdrankConfig config = ctx.config();
        PrestoWarehouse warehouse = new PrestoWarehouse(PrestoJdbc.of(config.presto()), config.presto(),
                config.input().path(), config.key().dimensions());
        PrestoHourReader reader = new PrestoHourReader(warehouse, "t_agg_key_hourly", config.key().dimensions(),
                config.key().separator(), 3);
        PrestoHourReader.Summary summary = reader.prepareAndSummarize(hour, true);
        assertThat(summary.badRows()).isZero();
        Map<String, List<Long>> out = new TreeMap<>();
        for (Row r : reader.read(ctx.spark(), hour).collectAsList()) {
            assertThat(out.put(r.getString(0), List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4),
                    r.getLong(5)))).as("key %s once", r.getString(0)).isNull();
        }
        return out;
    }

    /** (reason, detail, line) of the quarantined rows, sorted. */
    private static List<List<String>> quarantined(String dir) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    JsonNode row = JSON.readTree(line);
                    assertThat(row.get("file").asText()).endsWith("adserver-01.tsv.gz");
                    rows.add(List.of(row.get("reason").asText(), row.get("detail").asText(), row.get("line").asText()));
                }
            }
        }
        rows.sort((a, b) -> String.join("\t", a).compareTo(String.join("\t", b)));
        return rows;
    }

    private static List<String> dataFiles(String dir) throws Exception {
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_") && !n.startsWith("."))
                    .sorted().toList();
        }
    }
}
