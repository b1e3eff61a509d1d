package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RankSchema;
import adrank.testdata.Fixtures;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.NavigableMap;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The hand-computed fixture: every cell the 17 rows of fixtures/tiny must produce, written out by
 * hand from the rows (see the comments), checked against what the jobs store in HBase.
 */
@ExtendWith(AdrankStack.class)
class FixtureIT {

    static final LocalDate DAY1 = LocalDate.of(2026, 1, 1);
    static final LocalDate DAY2 = LocalDate.of(2026, 1, 2);
    static final String K1 = "ad1|US|mobile|android|chrome|wifi";
    static final String K2 = "ad2|MX|desktop|windows|Samsung\\x20Internet|wired";
    static final String K3 = "ad3|BR|mobile|ios|safari|cellular";

    /** Installs the fixture and returns a context reading it (max-bad-fraction lets hr=05's one bad row of 3 pass). */
    static RunContext fixtureContext(AdrankStack.Services stack, String name, Map<String, String> overrides)
            throws Exception {
        java.util.Map<String, String> settings = new java.util.HashMap<>(Map.of("input.max-bad-fraction", "0.5"));
        settings.putAll(overrides);
        RunContext ctx = stack.newContext(name, settings);
        Fixtures.installTiny(Path.of(ctx.config().input().path()));
        return ctx;
    }

    static void runAllHours(RunContext ctx) throws Exception {
        for (HourId hour : new HourId[] {new HourId(DAY1, 0), new HourId(DAY1, 1), new HourId(DAY2, 0),
            new HourId(DAY2, 3), new HourId(DAY2, 5)}) {
            HourlyJob.run(ctx, hour);
        }
    }

    @Test
    void storesExactlyTheHandComputedCells(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = fixtureContext(stack, "fixture", Map.of())) {
            HourlyJob.run(ctx, new HourId(DAY1, 0));
            HourlyJob.run(ctx, new HourId(DAY1, 1));
            // Before the daily fold, today is the sum of the day's hour cells:
            // K1: hr00 3 imps (1000+1500+1200), 1 click; hr01 1 imp (1000), 1 click, 1 conv (value 5000000)
            assertThat(cell(ctx, K1, RankSchema.STATE, "today")).isEqualTo("20260101 2 4 2 1 4700 5000000");
            assertThat(cell(ctx, K2, RankSchema.STATE, "today")).isEqualTo("20260101 1 2 0 0 4500 0");
            assertThat(cell(ctx, K3, RankSchema.STATE, "today")).isEqualTo("20260101 1 1 0 0 800 0");

            DailyJob.run(ctx, DAY1);
            HourlyJob.Outcome hr00 = HourlyJob.run(ctx, new HourId(DAY2, 0));
            HourlyJob.Outcome hr03 = HourlyJob.run(ctx, new HourId(DAY2, 3));
            HourlyJob.Outcome hr05 = HourlyJob.run(ctx, new HourId(DAY2, 5));
            assertThat(hr00.rowsIn()).isEqualTo(4);
            assertThat(hr03.rowsIn()).isZero();
            assertThat(hr03.keysWritten()).isZero();
            // hr05: 3 rows, r11 has revenue -5 and is quarantined
            assertThat(hr05.rowsIn()).isEqualTo(3);
            assertThat(hr05.rowsBad()).isEqualTo(1);
            assertThat(hr05.badReasons()).containsExactly(Map.entry("negative_money", 1L));
            // day 2 so far: K1 hr00 1 imp (500) + hr05 1 imp (900)
            assertThat(cell(ctx, K1, RankSchema.STATE, "today")).isEqualTo("20260102 2 2 0 0 1400 0");
            DailyJob.run(ctx, DAY2);

            // hour cells: "imps clicks convs rev val"
            assertThat(hours(ctx, K1)).containsExactly(
                    Map.entry("2026010100", "3 1 0 3700 0"),
                    Map.entry("2026010101", "1 1 1 1000 5000000"),
                    Map.entry("2026010200", "1 0 0 500 0"),
                    Map.entry("2026010205", "1 0 0 900 0"));
            assertThat(hours(ctx, K2)).containsExactly(
                    Map.entry("2026010100", "2 0 0 4500 0"),
                    Map.entry("2026010205", "1 0 0 700 0"));
            assertThat(hours(ctx, K3)).containsExactly(
                    Map.entry("2026010101", "1 0 0 800 0"),
                    Map.entry("2026010200", "1 1 1 3000 2000000"));

            // by-day lists, newest first
            assertByDay(ctx, K1, "20260102 20260101", "2 4", "0 2", "0 1", "1400 4700", "0 5000000");
            assertByDay(ctx, K2, "20260102 20260101", "1 2", "0 0", "0 0", "700 4500", "0 0");
            assertByDay(ctx, K3, "20260102 20260101", "1 1", "1 0", "1 0", "3000 800", "2000000 0");
            // total: "days oldestDay imps clicks convs rev val"
            assertThat(cell(ctx, K1, RankSchema.STATE, "total")).isEqualTo("2 20260101 6 2 1 6100 5000000");
            assertThat(cell(ctx, K2, RankSchema.STATE, "total")).isEqualTo("2 20260101 3 0 0 5200 0");
            assertThat(cell(ctx, K3, RankSchema.STATE, "total")).isEqualTo("2 20260101 2 1 1 3800 2000000");
            // today is reset by the daily fold
            for (String key : new String[] {K1, K2, K3}) {
                assertThat(cell(ctx, key, RankSchema.STATE, "today")).as("today of %s", key).isNull();
            }
            assertThat(ctx.ledger().latestPerUnit(DAY2)).extracting(r -> r.unit().toString() + " " + r.status())
                    .containsExactly("hour 2026-01-02 00 SUCCEEDED", "hour 2026-01-02 03 SUCCEEDED",
                            "hour 2026-01-02 05 SUCCEEDED", "day 2026-01-02 SUCCEEDED");
        }
    }

    static void assertByDay(RunContext ctx, String key, String days, String imps, String clicks, String convs,
            String rev, String val) throws Exception {
        assertThat(new String[] {cell(ctx, key, RankSchema.STATE, "days"), cell(ctx, key, RankSchema.STATE, "imps"),
            cell(ctx, key, RankSchema.STATE, "clicks"), cell(ctx, key, RankSchema.STATE, "convs"),
            cell(ctx, key, RankSchema.STATE, "rev"), cell(ctx, key, RankSchema.STATE, "val")})
                .as("by-day lists of %s", key)
                .containsExactly(days, imps, clicks, convs, rev, val);
    }

    static String cell(RunContext ctx, String key, byte[] family, String qualifier) throws Exception {
        try (Table table = ctx.hbase().getTable(ctx.schema().ranks())) {
            byte[] value = table.get(new Get(Bytes.toBytes(key))).getValue(family, Bytes.toBytes(qualifier));
            return value == null ? null : Bytes.toString(value);
        }
    }

    static Map<String, String> hours(RunContext ctx, String key) throws Exception {
        try (Table table = ctx.hbase().getTable(ctx.schema().ranks())) {
            Result result = table.get(new Get(Bytes.toBytes(key)).addFamily(RankSchema.HOURS));
            NavigableMap<byte[], byte[]> family = result.getFamilyMap(RankSchema.HOURS);
            java.util.TreeMap<String, String> cells = new java.util.TreeMap<>();
            if (family != null) {
                family.forEach((q, v) -> cells.put(Bytes.toString(q), Bytes.toString(v)));
            }
            return cells;
        }
    }
}
