package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.AbtestJob;
import adrank.jobs.pipeline.AbtestReport;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.testdata.EventGenerator;
import adrank.testdata.ExperimentSettings;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.experiment.ArmSums;
import adrank.udfs.experiment.Interval;
import adrank.udfs.experiment.Lift;
import adrank.udfs.experiment.Metric;
import adrank.udfs.experiment.Readout;
import adrank.udfs.experiment.SampleRatio;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rank abtest report} on generated hours (Spark local; no HBase or Hazelcast: the readout
 * reads raw events only): the known CPM lift of B in geo=US lies in the 95 % interval, an A/A run
 * covers zero without an SRM flag, a broken split (B logged for 45 % of units, design 50 %) fires
 * SRM, and the HTML page renders its plots in headless Chromium without console errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbtestIT {

    private static final LocalDate DAY = LocalDate.of(2026, 7, 1);
    private static final int HOURS = 3;
    private static final double LIFT = 0.10;
    /**
     * No CPA ads: a CPA key's revenue comes on its rare conversions (a coefficient of variation per
     * impression near 100), which would need millions of impressions for a useful CPM interval.
     */
    private static final GeneratorSettings SETTINGS = GeneratorSettings.builder().seed(5).startDay(DAY).days(1)
            .hoursPerDay(HOURS).eventsPerHour(150_000).keys(2_000).adServers(2).cpaShare(0).build();
    /** Enough for the SRM checks (they count units, not events). */
    private static final GeneratorSettings SMALL = SETTINGS.toBuilder().eventsPerHour(40_000).build();

    @TempDir
    static Path home;

    private RunContext ctx;

    @BeforeAll
    void start() {
        ctx = new RunContext(AdrankConfig.load("local", Map.of("home", home.toString(), "input.source", "path")));
    }

    @AfterAll
    void stop() throws Exception {
        ctx.close();
    }

    /**
     * A 50/50 experiment in geo=US (the largest geo: 30 % of the traffic, so three night hours give an
     * informative CPM interval; MX, 6 %, would need five times the events).
     */
    private static ExperimentSettings inUs(String name, double lift) {
        return new ExperimentSettings(name, name, "default", 1, 2, 0.5, 0.5, lift, "geo", "US", 4_000);
    }

    private AbtestJob.Outcome generateAndRead(String name, GeneratorSettings settings, ExperimentSettings experiment)
            throws Exception {
        Path data = home.resolve(name);
        EventGenerator.generate(settings, experiment, data, null, 2);
        RunContext run = new RunContext(ctx.config().with("input.path", data.toString()));
        long started = System.nanoTime();
        AbtestJob.Outcome o = AbtestJob.run(run, request(experiment.name()));
        System.out.printf("abtest %s: readout in %d ms%n", name, (System.nanoTime() - started) / 1_000_000);
        AbtestReport.table(o, System.out);
        return o;
    }

    private static AbtestJob.Request request(String experiment) {
        return new AbtestJob.Request(experiment, AbtestJob.hours(new HourId(DAY, 0), new HourId(DAY, HOURS - 1)), 0.5,
                0.95, Lift.DEFAULT_SEQUENTIAL_TUNING, SampleRatio.DEFAULT_THRESHOLD, false);
    }

    @Test
    void theKnownLiftIsInsideTheIntervalAndThePageRenders() throws Exception {
        AbtestJob.Outcome o = generateAndRead("lift", SETTINGS, inUs("us-cpm", LIFT));
        Readout r = o.overall();
        Interval cpm = r.metrics().get(Metric.CPM).lift();
        assertThat(cpm.contains(LIFT)).as("CPM lift %s covers the true %s", cpm, LIFT).isTrue();
        // informative, if not narrow: three night hours hold ~18 k in-scope impressions per arm, and revenue per
        // impression varies a lot (CPC revenue comes on 1-2 % of impressions; key prices differ by 10x): ±21 %
        assertThat(cpm.hi() - cpm.lo()).as("an informative interval").isLessThan(0.5);
        Interval sequential = r.metrics().get(Metric.CPM).liftSequential();
        assertThat(sequential.contains(LIFT)).isTrue();
        assertThat(sequential.hi() - sequential.lo()).isGreaterThan(cpm.hi() - cpm.lo());
        // untouched metrics: their true lift is 0
        for (Metric m : List.of(Metric.CTR, Metric.CVR)) {
            assertThat(r.metrics().get(m).lift().contains(0)).as("%s lift covers 0", m).isTrue();
        }
        assertThat(r.srm().mismatch()).isFalse();
        assertThat(o.unitsInBothArms()).isZero();
        assertThat(o.cumulative()).hasSize(HOURS);
        // the per-arm impressions are the generator's count of in-scope impressions per arm
        String truth = Files.readString(EventGenerator.experimentTruthFile(home.resolve("lift")));
        assertThat(truth).contains("impressions_a\t" + r.a().imps() + "\n", "impressions_b\t" + r.b().imps() + "\n");
        assertThat(o.variants()).containsOnlyKeys("us-cpm:A:default:v1", "us-cpm:B:default:v2");

        // the command line: console table, the page, bad usage
        Path html = home.resolve("abtest.html");
        List<String> args = new ArrayList<>(List.of("abtest", "report", "--experiment", "us-cpm", "--from",
                DAY + "T00", "--to", DAY + "T0" + (HOURS - 1), "--b-share", "0.5", "--html", html.toString(),
                "-D", "home=" + home, "-D", "input.source=path", "-D", "input.path=" + home.resolve("lift")));
        assertThat(RankCli.commandLine().execute(args.toArray(new String[0]))).isZero();
        assertThat(RankCli.commandLine().execute("abtest", "report", "--experiment", "us-cpm", "--from",
                DAY.toString(), "--to", DAY.minusDays(1).toString())).isEqualTo(2);
        assertThat(RankCli.commandLine().execute("abtest", "report", "--experiment", "mx cpm", "--from",
                DAY.toString(), "--to", DAY.toString())).isEqualTo(2);
        assertThat(RankCli.commandLine().execute("abtest", "report", "--experiment", "us-cpm", "--from",
                DAY.toString(), "--to", DAY.toString(), "--b-share", "1.5")).isEqualTo(2);

        String page = Files.readString(html);
        assertThat(page).doesNotContainPattern("(?i)<script[^>]+src=").contains("Chart.js v");
        HeadlessChromium.Loaded loaded;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            loaded = browser.load(html.toUri(), HeadlessChromium.PLOTS_CHECK);
        }
        assertThat(loaded.errors()).as("console errors and uncaught exceptions").isEmpty();
        assertThat(loaded.requests()).allMatch(u -> u.startsWith("file:"));
        JsonNode value = loaded.value();
        List<String> ids = new ArrayList<>();
        for (JsonNode c : value.get("canvases")) {
            ids.add(c.get("id").asText());
            assertThat(c.get("chart").asBoolean()).isTrue();
            assertThat(c.get("elements").asInt()).as("points on %s", c.get("id")).isGreaterThanOrEqualTo(2 * HOURS);
            assertThat(c.get("painted").asInt()).as("painted pixels of %s", c.get("id")).isGreaterThan(5_000);
        }
        assertThat(ids).containsExactlyElementsOf(AbtestReport.PLOTS);
        JsonNode last = value.get("data").get("cumulative").get(HOURS - 1);
        assertThat(last.get("cpm_lift").get("estimate").asDouble()).isEqualTo(cpm.estimate());
        assertThat(last.get("units_b").asLong()).isEqualTo(r.b().units());
    }

    /**
     * The same lifted hours as ORC ({@code t_bin_events} with the 17 columns, split from the text
     * lines by Spark) give exactly the same arm sums as the text read.
     */
    @Test
    void orcHoursWithTheColumnsGiveTheSameReadout() throws Exception {
        Path text = home.resolve("orc-source");
        EventGenerator.generate(SMALL, inUs("orc", LIFT), text, null, 2);
        Path orc = home.resolve("orc");
        org.apache.spark.sql.SparkSession spark = ctx.spark();
        for (int h = 0; h < HOURS; h++) {
            String hr = String.format("hr=%02d", h);
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> lines = spark.read()
                    .text(text.resolve("t_raw_events/dt=" + DAY + "/" + hr).toString());
            org.apache.spark.sql.Column split = org.apache.spark.sql.functions.split(
                    org.apache.spark.sql.functions.col("value"), "\t", -1);
            List<org.apache.spark.sql.Column> columns = new ArrayList<>();
            List<String> names = adrank.udfs.event.RawEventSchema.COLUMNS_WITH_EXPERIMENT;
            for (int i = 0; i < names.size(); i++) {
                org.apache.spark.sql.Column c = split.getItem(i);
                columns.add((names.get(i).endsWith("_micros") ? c.cast("bigint") : c).as(names.get(i)));
            }
            lines.select(columns.toArray(new org.apache.spark.sql.Column[0])).coalesce(1).write()
                    .mode(org.apache.spark.sql.SaveMode.Overwrite).orc(orc.resolve("t_bin_events/dt=" + DAY + "/" + hr)
                            .toString());
        }
        RunContext textRun = new RunContext(ctx.config().with("input.path", text.toString()));
        RunContext orcRun = new RunContext(ctx.config().with("input.path", orc.toString())
                .with("input.table", "t_bin_events").with("input.format", "orc"));
        Readout fromText = AbtestJob.run(textRun, request("orc")).overall();
        Readout fromOrc = AbtestJob.run(orcRun, request("orc")).overall();
        // counters exactly; the doubles (squares, summed in another order over other partitions) to 1e-12
        for (ArmSums[] arm : List.of(new ArmSums[] {fromText.a(), fromOrc.a()}, new ArmSums[] {fromText.b(), fromOrc.b()})) {
            assertThat(List.of(arm[1].units(), arm[1].imps(), arm[1].clicks(), arm[1].convs(), arm[1].rev(), arm[1].val()))
                    .isEqualTo(List.of(arm[0].units(), arm[0].imps(), arm[0].clicks(), arm[0].convs(), arm[0].rev(),
                            arm[0].val()));
            assertThat(arm[1].revSq()).isCloseTo(arm[0].revSq(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
            assertThat(arm[1].revImps()).isCloseTo(arm[0].revImps(), org.assertj.core.api.Assertions.withinPercentage(1e-10));
        }
        assertThat(fromOrc.a().units()).isPositive();
        assertThat(fromOrc.metrics().get(Metric.CPM).lift().estimate())
                .isCloseTo(fromText.metrics().get(Metric.CPM).lift().estimate(), org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void anAaRunCoversZeroAndABrokenSplitFiresSrm() throws Exception {
        Readout aa = generateAndRead("aa", SMALL, inUs("aa", 0.0)).overall();
        assertThat(aa.metrics().get(Metric.CPM).lift().contains(0)).as("A/A CPM lift %s",
                aa.metrics().get(Metric.CPM).lift()).isTrue();
        assertThat(aa.srm().mismatch()).isFalse();

        Readout broken = generateAndRead("broken", SMALL, inUs("broken", 0.0).withLoggedBShare(0.45)).overall();
        // 4000 units at 45 % instead of 50 %: ~200 units short, chi2 ~ 16, p ~ 6e-5
        assertThat(broken.srm().mismatch()).as("SRM %s", broken.srm()).isTrue();
        assertThat(broken.srm().p()).isLessThan(SampleRatio.DEFAULT_THRESHOLD);
    }
}
