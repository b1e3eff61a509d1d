package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.Compare;
import adrank.jobs.pipeline.CompareHtml;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.loaders.hazelcast.SnapshotMaps;
import adrank.loaders.hazelcast.VersionRef;
import adrank.loaders.hbase.RankRows;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.compare.Movers;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code rank compare} against a real Hazelcast member over loopback: schema A publishes v1 after hour 0 and v2
 * after hour 1 of a generated day; schema B (another prior strength) runs hour 1 only and publishes its v1. The
 * counts, keys only in one side, ratio quantiles and the top mover of the largest segment are recomputed here
 * from the published entries (read whole: the maps are small) with plain arithmetic and Commons Math's
 * percentile; the page is opened in Debian's headless Chromium.
 */
@ExtendWith(AdrankStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompareIT {

    private static final LocalDate DAY = LocalDate.of(2026, 7, 1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Map<String, String> settingsA;
    private Map<String, String> settingsB;
    private RunContext ctxA;
    private RunContext ctxB;
    private String schemaA;
    private String schemaB;

    @BeforeAll
    void publishTwoVersionsAndAnotherSchema(AdrankStack.Services stack) throws Exception {
        long started = System.nanoTime();
        settingsA = stack.newSettings("cmpa", Map.of("input.source", "path"));
        ctxA = new RunContext(AdrankConfig.load("local", settingsA));
        schemaA = ctxA.config().schema();
        GeneratorSettings generated = GeneratorSettings.builder().seed(23).startDay(DAY).days(1).hoursPerDay(2)
                .eventsPerHour(4_000).keys(400).adServers(1).build();
        EventGenerator.generate(generated, Path.of(ctxA.config().input().path()), null);
        HourlyJob.run(ctxA, new HourId(DAY, 0));
        PublishJob.run(ctxA);
        HourlyJob.run(ctxA, new HourId(DAY, 1));
        PublishJob.run(ctxA);

        // a "backfill with other settings": hour 1 only, another prior strength, the same input
        settingsB = stack.newSettings("cmpb", Map.of("input.source", "path", "input.path",
                ctxA.config().input().path(), "rank.prior-strength", "50"));
        ctxB = new RunContext(AdrankConfig.load("local", settingsB));
        schemaB = ctxB.config().schema();
        HourlyJob.run(ctxB, new HourId(DAY, 1));
        PublishJob.run(ctxB);
        System.out.printf("compare IT: 3 hourly runs + 3 publishes in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    void close() throws Exception {
        ctxA.close();
        ctxB.close();
    }

    private Map<String, SnapshotEntry> entries(String schema, int version) {
        return new HashMap<>(ctxA.hazelcast().<String, SnapshotEntry>getMap(SnapshotMaps.entries(schema, version)));
    }

    private static long imps(SnapshotEntry e) {
        return e.total().imps() + e.today().imps();
    }

    private static long revenue(SnapshotEntry e) {
        return e.total().revenueMicros() + e.today().revenueMicros();
    }

    private static boolean sameButTime(SnapshotEntry x, SnapshotEntry y) {
        return x.rank() == y.rank() && x.weight() == y.weight() && java.util.Objects.equals(x.cpm(), y.cpm())
                && x.parentCpm() == y.parentCpm() && java.util.Objects.equals(x.vpcMean(), y.vpcMean())
                && java.util.Objects.equals(x.vpcLo(), y.vpcLo()) && java.util.Objects.equals(x.vpcHi(), y.vpcHi())
                && x.driftFlagged() == y.driftFlagged() && x.today().equals(y.today()) && x.total().equals(y.total());
    }

    private List<JsonNode> lines(String out, String type) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.startsWith("{")) { // the tests' logback writes progress to the captured stdout (bin/rank: stderr)
                continue;
            }
            JsonNode n = JSON.readTree(line);
            if (n.get("type").asText().equals(type)) {
                found.add(n);
            }
        }
        return found;
    }

    /**
     * A's v1 (hour 0) against B's v1 (hour 1, k = 50) through the command line: every count, the median and
     * quartiles of B/A and the top mover of the largest geo as recomputed here from the two maps.
     */
    @Test
    void twoSchemasVersionsAgainstEachOtherMatchTheEntriesRecomputedHere() throws Exception {
        Map<String, SnapshotEntry> a = entries(schemaA, 1);
        Map<String, SnapshotEntry> b = entries(schemaB, 1);
        long both = a.keySet().stream().filter(b::containsKey).count();
        long onlyA = a.size() - both;
        long onlyB = b.size() - both;
        long onlyAImps = a.entrySet().stream().filter(e -> !b.containsKey(e.getKey())).mapToLong(e -> imps(e.getValue()))
                .sum();
        long onlyBImps = b.entrySet().stream().filter(e -> !a.containsKey(e.getKey())).mapToLong(e -> imps(e.getValue()))
                .sum();
        long identical = a.keySet().stream().filter(k -> b.containsKey(k) && sameButTime(a.get(k), b.get(k))).count();
        List<Double> ratios = new ArrayList<>();
        Map<String, long[]> revenueByGeo = new HashMap<>(); // geo -> revenue A + B of its keys in both
        for (String k : a.keySet()) {
            if (!b.containsKey(k)) {
                continue;
            }
            String geo = k.split("\\|")[1];
            revenueByGeo.computeIfAbsent(geo, g -> new long[1])[0] += revenue(a.get(k)) + revenue(b.get(k));
            if (a.get(k).rank() > 0 && b.get(k).rank() > 0) {
                ratios.add(b.get(k).rank() / a.get(k).rank());
            }
        }
        assertThat(onlyA).as("keys seen in hour 0 only").isPositive();
        assertThat(onlyB).as("keys seen in hour 1 only").isPositive();
        assertThat(both).isPositive();
        String topGeo = revenueByGeo.entrySet().stream().sorted((x, y) -> x.getValue()[0] != y.getValue()[0]
                ? Long.compare(y.getValue()[0], x.getValue()[0]) : x.getKey().compareTo(y.getKey())).findFirst()
                .orElseThrow().getKey();
        // its top mover: the largest |ln(B/A)| x (imps A + imps B) / 2 among its keys with both ranks positive
        String topMover = null;
        double best = -1;
        for (String k : a.keySet()) {
            SnapshotEntry x = a.get(k);
            SnapshotEntry y = b.get(k);
            if (y == null || !k.split("\\|")[1].equals(topGeo) || !(x.rank() > 0) || !(y.rank() > 0)
                    || x.rank() == y.rank()) {
                continue;
            }
            double score = Math.abs(Math.log(y.rank() / x.rank())) * (imps(x) + imps(y)) / 2.0;
            if (score > best || (score == best && k.compareTo(topMover) < 0)) {
                best = score;
                topMover = k;
            }
        }
        double[] values = ratios.stream().mapToDouble(Double::doubleValue).toArray();
        Percentile r7 = new Percentile().withEstimationType(Percentile.EstimationType.R_7);

        Path html = Path.of(settingsA.get("home"), "compare.html");
        long started = System.nanoTime();
        TestCli.Output out = TestCli.run(settingsA, "compare", "--version", "1", "--vs", schemaB, "--vs-version",
                "active", "--segment-level", "geo", "--segment-top", "3", "--top", "5", "--json", "--html",
                html.toString());
        System.out.printf("rank compare --json --html took %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(out.code()).as(out.err()).isZero();
        assertThat(out.err().strip()).startsWith("rank compare: schema " + schemaA + " v1 (previous) vs schema " + schemaB
                + " v1 (active): " + String.format(java.util.Locale.ROOT, "%,d", both) + " keys in both");
        JsonNode counts = lines(out.out(), "counts").get(0);
        assertThat(counts.get("keys_a").asLong()).isEqualTo(a.size());
        assertThat(counts.get("keys_b").asLong()).isEqualTo(b.size());
        assertThat(counts.get("both").asLong()).isEqualTo(both);
        assertThat(counts.get("only_in_a").asLong()).isEqualTo(onlyA);
        assertThat(counts.get("only_in_b").asLong()).isEqualTo(onlyB);
        assertThat(counts.get("only_in_a_impressions").asLong()).isEqualTo(onlyAImps);
        assertThat(counts.get("only_in_b_impressions").asLong()).as("B's member-side totals minus the keys in both")
                .isEqualTo(onlyBImps);
        assertThat(counts.get("identical").asLong()).isEqualTo(identical);
        assertThat(counts.get("ratios").asLong()).isEqualTo(values.length);
        assertThat(counts.get("quantiles_exact").asBoolean()).isTrue();
        for (JsonNode q : lines(out.out(), "quantile")) {
            double p = q.get("p").asDouble();
            assertThat(q.get("ratio").asDouble()).as("quantile %s", p).isCloseTo(r7.evaluate(values, 100 * p),
                    within(1e-12 * r7.evaluate(values, 100 * p)));
        }
        List<JsonNode> segments = lines(out.out(), "segment");
        assertThat(segments).hasSize(3);
        assertThat(segments.get(0).get("segment").asText()).isEqualTo("geo:" + topGeo);
        JsonNode mover = lines(out.out(), "mover").get(0);
        assertThat(mover.get("segment").asText()).isEqualTo("geo:" + topGeo);
        assertThat(mover.get("key").asText()).isEqualTo(topMover);
        assertThat(mover.get("score").asDouble()).isCloseTo(best, within(1e-9 * best));
        assertThat(mover.get("rank_a_micros").asDouble()).isEqualTo(a.get(topMover).rank());

        assertPageRenders(html, Compare.run(ctxA, new Compare.Side(schemaA, VersionRef.parse("1")),
                new Compare.Side(schemaB, VersionRef.parse("active")), new Compare.Options(5, List.of("geo"), 3,
                        Movers.Order.REVENUE, 1000, 2000, Duration.ofSeconds(10))), (int) Math.min(2000, values.length));
    }

    /**
     * One hour between two versions of a schema: no key is lost, the keys new in hour 1 are only in B, and every
     * key whose rank moved is counted; then the new version against the stored rows it was published from is
     * identical key for key (computed_at aside), and the stored rows of two schemas still compare as before.
     */
    @Test
    void anHourBetweenVersionsAndAVersionAgainstItsStoredRows() throws Exception {
        Map<String, SnapshotEntry> v1 = entries(schemaA, 1);
        Map<String, SnapshotEntry> v2 = entries(schemaA, 2);
        long rankChanged = v1.keySet().stream().filter(k -> v2.containsKey(k) && v1.get(k).rank() != v2.get(k).rank())
                .count();
        TestCli.Output out = TestCli.run(settingsA, "compare", "--version", "previous", "--vs-version", "active",
                "--segment-level", "geo", "--segment-top", "2", "--top", "3");
        assertThat(out.code()).as(out.err()).isZero();
        System.out.print(out.out() + out.err());
        assertThat(out.out()).contains(String.format(java.util.Locale.ROOT,
                "keys in both %,d; only in A 0 (0 impressions); only in B %,d", v1.size(), v2.size() - v1.size()));
        assertThat(out.out()).contains(String.format(java.util.Locale.ROOT, "(rank changed %,d)", rankChanged));
        assertThat(v2.keySet()).containsAll(v1.keySet());
        assertThat(v2.size()).isGreaterThan(v1.size());

        TestCli.Output stored = TestCli.run(settingsA, "compare", "--version", "active", "--vs", schemaA, "--json");
        assertThat(stored.code()).as(stored.err()).isZero();
        JsonNode counts = lines(stored.out(), "counts").get(0);
        assertThat(counts.get("both").asLong()).isEqualTo(v2.size());
        assertThat(counts.get("identical").asLong()).isEqualTo(v2.size());
        assertThat(counts.get("only_in_a").asLong()).isZero();
        long storedRows = new RankRows(ctxA.hbase(), ctxA.schema()).forEach(r -> { });
        assertThat(counts.get("only_in_b").asLong()).as("stored keys without a result").isEqualTo(storedRows - v2.size());

        TestCli.Output rows = TestCli.run(settingsA, "compare", "--vs", schemaB, "--json");
        assertThat(rows.code()).as(rows.err()).isZero();
        JsonNode rowCounts = lines(rows.out(), "counts").get(0);
        assertThat(rowCounts.get("keys_a").asLong()).isEqualTo(storedRows);
        assertThat(rowCounts.get("keys_b").asLong()).isEqualTo(new RankRows(ctxB.hbase(), ctxB.schema())
                .forEach(r -> { }));
        assertThat(lines(rows.out(), "sides").get(0).get("identical_means").asText()).startsWith("stored state");
    }

    /**
     * The page in a real headless Chromium: no console error, no request but the file, every plot a chart with
     * drawn elements and painted pixels; the scatter holds the sample, the histogram adds up to the ratios.
     */
    private void assertPageRenders(Path html, Compare.Outcome outcome, int samplePoints) throws Exception {
        String page = Files.readString(html);
        assertThat(page).doesNotContainPattern("(?i)<script[^>]+src=").doesNotContainPattern("(?i)<link[^>]+href=")
                .contains("Chart.js v").contains("$");
        HeadlessChromium.Loaded loaded;
        long started = System.nanoTime();
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            loaded = browser.load(html.toUri(), HeadlessChromium.PLOTS_CHECK);
        }
        System.out.printf("chromium: compare page loaded and checked in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(loaded.errors()).as("console errors and uncaught exceptions").isEmpty();
        assertThat(loaded.requests()).as("requests of the page").allMatch(u -> u.startsWith("file:"));
        JsonNode value = loaded.value();
        List<String> ids = new ArrayList<>();
        for (JsonNode c : value.get("canvases")) {
            String id = c.get("id").asText();
            ids.add(id);
            assertThat(c.get("chart").asBoolean()).as("chart on %s", id).isTrue();
            assertThat(c.get("width").asInt()).as("width of %s", id).isGreaterThan(300);
            assertThat(c.get("height").asInt()).as("height of %s", id).isGreaterThan(200);
            assertThat(c.get("elements").asInt()).as("data drawn on %s", id).isGreaterThan(0);
            assertThat(c.get("painted").asInt()).as("painted pixels of %s", id).isGreaterThan(5_000);
        }
        assertThat(ids).containsExactlyElementsOf(CompareHtml.plots(outcome)).hasSize(6);
        assertThat(value.get("plots").asInt()).isEqualTo(ids.size());
        JsonNode data = value.get("data");
        assertThat(data.get("scatter").size()).isEqualTo(samplePoints);
        long inHistogram = 0;
        for (JsonNode n : data.get("histogram").get("counts")) {
            inHistogram += n.asLong();
        }
        assertThat(inHistogram).isEqualTo(outcome.ratios().ratios());
        assertThat(data.get("quantiles").size()).isEqualTo(99);
    }
}
