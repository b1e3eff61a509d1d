package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An hour's file replaced after {@code daily}; re-running the hour and then {@code daily} gives
 * the same state as if the final file had been there on time.
 */
@ExtendWith(AdrankStack.class)
class LateDataIT {

    /**
     * The corrected dt=2026-01-01/hr=01: K1's rows unchanged, a new K2 impression, and K3's only
     * row of day 1 gone (so K3 must lose its hour cell and its day-1 entry).
     */
    private static final List<String> CORRECTED_HOUR = List.of(
            TestHours.line("2026-01-01 01:00:00", "imp", "ad1", "US", "chrome", 1000, 0),
            TestHours.line("2026-01-01 01:00:02", "click", "ad1", "US", "chrome", 0, 0),
            TestHours.line("2026-01-01 01:00:30", "conv", "ad1", "US", "chrome", 0, 5_000_000),
            TestHours.line("2026-01-01 01:20:00", "imp", "ad2", "MX", "Samsung Internet", 1700, 0));

    private static void runEverything(RunContext ctx) throws Exception {
        for (HourId hour : List.of(new HourId(FixtureIT.DAY1, 0), new HourId(FixtureIT.DAY1, 1),
                new HourId(FixtureIT.DAY2, 0), new HourId(FixtureIT.DAY2, 3), new HourId(FixtureIT.DAY2, 5))) {
            HourlyJob.run(ctx, hour);
        }
        DailyJob.run(ctx, FixtureIT.DAY1);
        DailyJob.run(ctx, FixtureIT.DAY2);
    }

    @Test
    void lateHourRerunThenDailyEqualsOnTime(AdrankStack.Services stack) throws Exception {
        String onTime;
        try (RunContext ctx = stack.newContext("ontime", Map.of("input.max-bad-fraction", "0.5"))) {
            Path data = Path.of(ctx.config().input().path());
            adrank.testdata.Fixtures.installTiny(data);
            TestHours.writeHour(data, "2026-01-01", "01", CORRECTED_HOUR);
            runEverything(ctx);
            onTime = Export.jsonLines(ctx);
        }
        String late;
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "late", Map.of())) {
            runEverything(ctx);
            String before = Export.jsonLines(ctx);
            TestHours.writeHour(Path.of(ctx.config().input().path()), "2026-01-01", "01", CORRECTED_HOUR);
            HourlyJob.Outcome rerun = HourlyJob.run(ctx, new HourId(FixtureIT.DAY1, 1));
            assertThat(rerun.keysRemoved()).as("K3 is no longer in the hour").isEqualTo(1);
            DailyJob.run(ctx, FixtureIT.DAY1);
            late = Export.jsonLines(ctx);
            assertThat(late).isNotEqualTo(before);
        }
        assertThat(late).isEqualTo(onTime);
        // K3 kept only its day-2 entry
        assertThat(onTime.lines().filter(l -> l.contains("\"key\":\"ad3|")).findFirst().orElseThrow())
                .contains("\"by_day\":[{\"day\":\"2026-01-02\"")
                .doesNotContain("2026-01-01");
    }
}
