package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Production traffic on the real stack: lagged CPA conversions (more conversions than clicks in an
 * hour, a day and the total), keys that age out of the window, and open days that are never
 * dropped nor counted twice. Expected values are computed by hand in the comments.
 */
@ExtendWith(AdrankStack.class)
class RealTrafficIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final String A = "adA|US|mobile|android|chrome|wifi";
    private static final String B = "adB|US|mobile|android|chrome|wifi";

    private static String ts(LocalDate day, int hr) {
        return day + String.format(" %02d:30:00", hr);
    }

    @Test
    void laggedConversionsAboveClicksGiveTheHandComputedResult(AdrankStack.Services stack) throws Exception {
        // global parent only, k = 2 impressions, no forgetting, value prior of 1 conversion; the full result stage
        // every hour, so that hour 11's parent is re-aggregated with its conversions (incremental results would rank
        // against hour 10's: IncrementalResultsIT)
        try (RunContext ctx = stack.newContext("lagged", Map.of("rank.parents", "[[]]", "rank.prior-strength", "2",
                "rank.estimator", "fixed", "rank.parent-min-impressions", "0", "vpc.forgetting", "1",
                "vpc.value-prior-strength", "1", "rank.hourly-results", "full"))) {
            Path data = Path.of(ctx.config().input().path());
            // hr 10: adA (CPA-billed) 2 impressions and a click, no revenue yet; adB (CPM) 2 impressions at
            // 500 micros, 2 clicks
            TestHours.writeHour(data, DAY.toString(), "10", List.of(
                    TestHours.line(ts(DAY, 10), "imp", "adA", "US", "chrome", 0, 0),
                    TestHours.line(ts(DAY, 10), "imp", "adA", "US", "chrome", 0, 0),
                    TestHours.line(ts(DAY, 10), "click", "adA", "US", "chrome", 0, 0),
                    TestHours.line(ts(DAY, 10), "imp", "adB", "US", "chrome", 500, 0),
                    TestHours.line(ts(DAY, 10), "imp", "adB", "US", "chrome", 500, 0),
                    TestHours.line(ts(DAY, 10), "click", "adB", "US", "chrome", 0, 0),
                    TestHours.line(ts(DAY, 10), "click", "adB", "US", "chrome", 0, 0)));
            // hr 11: three conversions of adA (lagged from earlier clicks, or view-through), billed
            // 1,000,000 micros each, worth 4,000,000 each: an hour with 3 conversions and 0 clicks
            String conv = TestHours.line(ts(DAY, 11), "conv", "adA", "US", "chrome", 1_000_000, 4_000_000);
            TestHours.writeHour(data, DAY.toString(), "11", List.of(conv, conv, conv));
            HourlyJob.run(ctx, new HourId(DAY, 10));
            HourlyJob.Outcome hr11 = HourlyJob.run(ctx, new HourId(DAY, 11));
            assertThat(hr11.results().faulty()).isZero();

            // today of adA: 2 imps, 1 click, 3 convs (> clicks), 3,000,000 revenue, 12,000,000 value
            JsonNode a = row(ctx, A);
            assertThat(a.get("today").toString()).isEqualTo(
                    "{\"day\":\"2026-03-01\",\"hours\":2,\"imps\":2,\"clicks\":1,\"convs\":3,\"rev\":3000000,\"val\":12000000}");
            // global: 4 imps, 3,001,000 micros -> cpm 750,250,000; own cpm 3,000,000/2·1000 = 1.5e9;
            // weight 2/(2+2) = 0.5; rank = 0.5·1.5e9 + 0.5·750,250,000 = 1,125,125,000; no total: no drift
            assertThat(number(a, "cpm")).isEqualTo(1.5e9);
            assertThat(number(a, "parent_cpm")).isEqualTo(750_250_000.0);
            assertThat(number(a, "rank")).isCloseTo(1_125_125_000.0, within(1e-3));
            assertThat(a.get("result").get("drift").asText()).isEmpty();

            DailyJob.Outcome daily = DailyJob.run(ctx, DAY);
            assertThat(daily.results().faulty()).isZero();
            a = row(ctx, A);
            assertThat(a.get("today").isNull()).isTrue();
            assertThat(a.get("total").toString()).isEqualTo(
                    "{\"days\":1,\"oldest_day\":\"2026-03-01\",\"imps\":2,\"clicks\":1,\"convs\":3,\"rev\":3000000,\"val\":12000000}");
            assertThat(number(a, "rank")).isCloseTo(1_125_125_000.0, within(1e-3));
            // drift of the day just folded against the total (the same day): 3 expected, 3 seen
            assertThat(number(a, "drift")).isEqualTo(0.0);
            // conversions per click: 3 of 1 click (adA) and 0 of 2 (adB); the maximum-likelihood negative
            // binomial (scipy, nbinom by Nelder-Mead from three starts): shape 0.41343150, rate 0.29324320,
            // mean 1.40985878; the rate is below the minimum strength 2: prior Gamma(1.40985878·2 = 2.81971757, 2).
            // adA: Gamma(2.81971757 + 3, 2 + 1) -> 1.93990586 per click.
            assertThat(number(a, "cvr_shape")).isCloseTo(5.81971757, within(1e-6));
            assertThat(number(a, "cvr_rate")).isCloseTo(3.0, within(1e-12));
            // value prior: 12,000,000 / 3 conversions, strength 1: shape 2, rate 4,000,000; adA adds 3
            // conversions worth 12,000,000: shape 5, rate 16,000,000, mean 4,000,000 per conversion
            assertThat(number(a, "value_shape")).isCloseTo(5.0, within(1e-12));
            assertThat(number(a, "value_rate")).isCloseTo(16_000_000.0, within(1e-6));
            // (one key with value: the global segment's mean-value prior of fixed strength, the last resort)
            assertThat(number(a, "vpc_mean")).isCloseTo(5.81971757 / 3 * 4_000_000, within(1.0));
            // adB: Gamma(2.81971757, 2 + 2) -> 0.70492939 per click, value mean 4,000,000: VPC 2,819,717.6
            assertThat(number(row(ctx, B), "vpc_mean")).isCloseTo(2.81971757 / 4 * 4_000_000, within(1.0));
        }
    }

    @Test
    void openDaysAreNeverDroppedNorCountedTwice(AdrankStack.Services stack) throws Exception {
        LocalDate d2 = DAY.plusDays(1);
        LocalDate d3 = DAY.plusDays(2);
        List<HourId> hours = List.of(new HourId(DAY, 22), new HourId(DAY, 23), new HourId(d2, 0), new HourId(d2, 23),
                new HourId(d3, 0));
        String onTime;
        try (RunContext ctx = stack.newContext("ontime", Map.of())) {
            writeHours(ctx, hours);
            HourlyJob.run(ctx, hours.get(0));
            HourlyJob.run(ctx, hours.get(1));
            DailyJob.run(ctx, DAY);
            HourlyJob.run(ctx, hours.get(2));
            HourlyJob.run(ctx, hours.get(3));
            DailyJob.run(ctx, d2);
            HourlyJob.run(ctx, hours.get(4));
            onTime = Export.jsonLines(ctx);
        }
        try (RunContext ctx = stack.newContext("unattended", Map.of())) {
            writeHours(ctx, hours);
            List<String> exports = new java.util.ArrayList<>();
            HourlyJob.run(ctx, hours.get(0));
            HourlyJob.run(ctx, hours.get(1));
            // the next day's first hour runs before the fold of DAY: both days are open
            HourlyJob.run(ctx, hours.get(2));
            exports.add(Export.jsonLines(ctx));
            JsonNode a = row(ctx, A);
            assertThat(a.get("today").get("day").asText()).isEqualTo(d2.toString());
            assertThat(a.get("unfolded_days").get(0).get("day").asText()).isEqualTo(DAY.toString());
            // the rank counts both open days: 2 + 1 impressions of adA (5,000 micros each)
            assertThat(number(a, "cpm")).isEqualTo(5_000_000.0);
            HourlyJob.run(ctx, hours.get(3));
            exports.add(Export.jsonLines(ctx));
            // the daily of DAY never ran: the fold of d2 folds DAY first instead of dropping it
            DailyJob.run(ctx, d2);
            exports.add(Export.jsonLines(ctx));
            HourlyJob.run(ctx, hours.get(4));
            exports.add(Export.jsonLines(ctx));
            assertThat(ctx.ledger().folded(DAY)).isTrue();
            assertThat(exports.get(exports.size() - 1)).isEqualTo(onTime);
            for (String export : exports) {
                assertNoDayCountedTwice(export);
            }
        }
    }

    @Test
    void aLateHourOfAFoldedDayIsExactAtOnce(AdrankStack.Services stack) throws Exception {
        LocalDate d2 = DAY.plusDays(1);
        List<HourId> hours = List.of(new HourId(DAY, 5), new HourId(DAY, 6), new HourId(d2, 1));
        String onTime;
        try (RunContext ctx = stack.newContext("late_ontime", Map.of())) {
            writeHours(ctx, hours);
            for (HourId hour : hours.subList(0, 2)) {
                HourlyJob.run(ctx, hour);
            }
            DailyJob.run(ctx, DAY);
            HourlyJob.run(ctx, hours.get(2));
            DailyJob.run(ctx, d2);
            onTime = Export.jsonLines(ctx);
        }
        try (RunContext ctx = stack.newContext("late", Map.of())) {
            writeHours(ctx, hours);
            HourlyJob.run(ctx, hours.get(0)); // hour 6 is late: DAY is folded without it
            DailyJob.run(ctx, DAY);
            HourlyJob.run(ctx, hours.get(2));
            DailyJob.run(ctx, d2);
            String before = Export.jsonLines(ctx);
            HourlyJob.Outcome late = HourlyJob.run(ctx, hours.get(1));
            String after = Export.jsonLines(ctx);
            assertThat(after).isNotEqualTo(before);
            // without re-running any daily, the state equals the on-time state, results included
            assertThat(after).isEqualTo(onTime);
            assertNoDayCountedTwice(before);
            assertNoDayCountedTwice(after);
            assertThat(ctx.ledger().latest(adrank.loaders.hbase.RunUnit.hour(hours.get(1))).orElseThrow().message())
                    .contains("re-folded " + DAY);
            // re-running it with the same input changes nothing, and daily stays idempotent
            HourlyJob.run(ctx, hours.get(1));
            DailyJob.run(ctx, DAY);
            DailyJob.run(ctx, d2);
            assertThat(Export.jsonLines(ctx)).isEqualTo(onTime);
            assertThat(late.results().faulty()).isZero();
        }
    }

    @Test
    void aKeyWhoseHistoryAgedOutLeavesResultsAndSnapshot(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("aging", Map.of("limits.max-days", "2"))) {
            // adA only on day 1; adB every day (it keeps the schema alive and is the idle-drift probe's
            // reference); day 3 and 4 also have adB only
            Path data = Path.of(ctx.config().input().path());
            for (int d = 0; d < 4; d++) {
                LocalDate day = DAY.plusDays(d);
                List<String> lines = new java.util.ArrayList<>(List.of(
                        TestHours.line(ts(day, 9), "imp", "adB", "US", "chrome", 700, 0),
                        TestHours.line(ts(day, 9), "click", "adB", "US", "chrome", 0, 0)));
                if (d == 0) {
                    lines.add(TestHours.line(ts(day, 9), "imp", "adA", "US", "chrome", 900, 0));
                    lines.add(TestHours.line(ts(day, 9), "click", "adA", "US", "chrome", 0, 0));
                    lines.add(TestHours.line(ts(day, 9), "conv", "adA", "US", "chrome", 0, 3_000_000));
                }
                TestHours.writeHour(data, day.toString(), "09", lines);
                HourlyJob.run(ctx, new HourId(day, 9));
                DailyJob.Outcome daily = DailyJob.run(ctx, day);
                if (d == 1) {
                    // day 2: adA had no activity in it; its drift compares day 2 (nothing), not its old day 1
                    JsonNode a = row(ctx, A);
                    assertThat(number(a, "drift")).isEqualTo(0.0);
                    assertThat(a.get("result").get("drift_flag").asText()).isEqualTo("false");
                }
                if (d == 2) {
                    assertThat(daily.keysAged()).isEqualTo(1); // day 1 left the window [day 2, day 3]
                }
            }
            // after day 4 (window [day 3, day 4]): adA has no state and no result; adB does
            String export = Export.jsonLines(ctx);
            assertThat(export.lines().filter(l -> l.contains("\"key\":\"adA|"))
                    .noneMatch(l -> l.contains("\"rank\"") || l.contains("\"by_day\":[{"))).isTrue();
            assertThat(number(row(ctx, B), "rank")).isPositive();
            PublishJob.Outcome published = PublishJob.run(ctx);
            assertThat(published.result().entries().count()).isEqualTo(1); // adB only
        }
    }

    private static void writeHours(RunContext ctx, List<HourId> hours) {
        Path data = Path.of(ctx.config().input().path());
        for (HourId hour : hours) {
            // adA: 1 impression at 5,000 micros each hour, and on every second hour a click and a lagged
            // conversion of an earlier click; adB: an impression at 2,000 micros
            List<String> lines = new java.util.ArrayList<>(List.of(
                    TestHours.line(ts(hour.day(), hour.hour()), "imp", "adA", "US", "chrome", 5000, 0),
                    TestHours.line(ts(hour.day(), hour.hour()), "imp", "adB", "US", "chrome", 2000, 0)));
            if (hour.hour() % 2 == 0) {
                lines.add(TestHours.line(ts(hour.day(), hour.hour()), "click", "adA", "US", "chrome", 0, 0));
                lines.add(TestHours.line(ts(hour.day(), hour.hour()), "conv", "adA", "US", "chrome", 0, 1_000_000));
                lines.add(TestHours.line(ts(hour.day(), hour.hour()), "conv", "adA", "US", "chrome", 0, 1_000_000));
            }
            TestHours.writeHour(data, hour.day().toString(), String.format("%02d", hour.hour()), lines);
        }
    }

    /** No key has a day both open (today / unfolded) and in its by-day history. */
    private static void assertNoDayCountedTwice(String export) throws Exception {
        for (String line : export.lines().toList()) {
            JsonNode row = JSON.readTree(line);
            Set<String> open = new HashSet<>();
            if (!row.get("today").isNull()) {
                open.add(row.get("today").get("day").asText());
            }
            if (row.has("unfolded_days")) {
                row.get("unfolded_days").forEach(d -> open.add(d.get("day").asText()));
            }
            Set<String> folded = new HashSet<>();
            row.get("by_day").forEach(d -> folded.add(d.get("day").asText()));
            folded.retainAll(open);
            assertThat(folded).as("days both open and folded in %s", row.get("key").asText()).isEmpty();
        }
    }

    private static JsonNode row(RunContext ctx, String key) throws Exception {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (String line : Export.jsonLines(ctx).lines().toList()) {
            JsonNode node = JSON.readTree(line);
            rows.put(node.get("key").asText(), node);
        }
        assertThat(rows).containsKey(key);
        return rows.get(key);
    }

    private static double number(JsonNode row, String field) {
        return Double.parseDouble(row.get("result").get(field).asText());
    }
}
