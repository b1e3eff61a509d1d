package adrank.jobs;

import static adrank.jobs.FixtureIT.K1;
import static adrank.jobs.FixtureIT.K2;
import static adrank.jobs.FixtureIT.K3;
import static adrank.jobs.FixtureIT.cell;
import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RankSchema;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** max-days and max-impressions cut total-to-limit at the right day (fixture numbers by hand). */
@ExtendWith(AdrankStack.class)
class LimitsIT {

    private static void foldBothDays(RunContext ctx) throws Exception {
        FixtureIT.runAllHours(ctx);
        DailyJob.run(ctx, FixtureIT.DAY1);
        DailyJob.run(ctx, FixtureIT.DAY2);
    }

    @Test
    void maxImpressionsStopsBeforeTheDayThatWouldExceedIt(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "maximps", Map.of("limits.max-impressions", "3"))) {
            foldBothDays(ctx);
            // K1: day2 2 imps, + day1 4 imps = 6 > 3 -> only day 2 counts
            assertThat(cell(ctx, K1, RankSchema.STATE, "total")).isEqualTo("1 20260102 2 0 0 1400 0");
            // K2: day2 1 imp + day1 2 imps = 3 <= 3 -> both days
            assertThat(cell(ctx, K2, RankSchema.STATE, "total")).isEqualTo("2 20260101 3 0 0 5200 0");
            // K3: 1 + 1 -> both
            assertThat(cell(ctx, K3, RankSchema.STATE, "total")).isEqualTo("2 20260101 2 1 1 3800 2000000");
            // by-day keeps both days: only the total is limited
            assertThat(cell(ctx, K1, RankSchema.STATE, "days")).isEqualTo("20260102 20260101");
        }
    }

    @Test
    void maxImpressionsBelowTheNewestDayStillCountsTheNewestDay(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "maximps1", Map.of("limits.max-impressions", "1"))) {
            foldBothDays(ctx);
            assertThat(cell(ctx, K1, RankSchema.STATE, "total")).isEqualTo("1 20260102 2 0 0 1400 0");
        }
    }

    @Test
    void maxDaysPrunesDaysOutsideTheWindow(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "maxdays", Map.of("limits.max-days", "1"))) {
            foldBothDays(ctx);
            // the window is the single day 2026-01-02: day 1 is pruned from by-day and total
            assertThat(cell(ctx, K1, RankSchema.STATE, "days")).isEqualTo("20260102");
            assertThat(cell(ctx, K1, RankSchema.STATE, "imps")).isEqualTo("2");
            assertThat(cell(ctx, K1, RankSchema.STATE, "total")).isEqualTo("1 20260102 2 0 0 1400 0");
            assertThat(cell(ctx, K3, RankSchema.STATE, "total")).isEqualTo("1 20260102 1 1 1 3000 2000000");
        }
    }
}
