package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.stats.HourId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Re-running hours and days any number of times gives the state of a single run. */
@ExtendWith(AdrankStack.class)
class RerunIT {

    private static final List<HourId> HOURS = List.of(new HourId(FixtureIT.DAY1, 0), new HourId(FixtureIT.DAY1, 1),
            new HourId(FixtureIT.DAY2, 0), new HourId(FixtureIT.DAY2, 3), new HourId(FixtureIT.DAY2, 5));

    @Test
    void threeRunsOfEveryHourAndDayExportTheSameBytesAsOne(AdrankStack.Services stack) throws Exception {
        String once;
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "once", Map.of())) {
            for (HourId hour : HOURS) {
                HourlyJob.run(ctx, hour);
            }
            DailyJob.run(ctx, FixtureIT.DAY1);
            DailyJob.run(ctx, FixtureIT.DAY2);
            once = Export.jsonLines(ctx);
        }
        String thrice;
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "thrice", Map.of())) {
            for (HourId hour : HOURS) {
                for (int i = 0; i < 3; i++) {
                    HourlyJob.run(ctx, hour);
                }
            }
            for (int i = 0; i < 3; i++) {
                DailyJob.run(ctx, FixtureIT.DAY1);
            }
            for (int i = 0; i < 3; i++) {
                DailyJob.run(ctx, FixtureIT.DAY2);
            }
            // and an hour of day 1 re-run after both folds, with day 1 folded again
            HourlyJob.run(ctx, HOURS.get(0));
            DailyJob.run(ctx, FixtureIT.DAY1);
            thrice = Export.jsonLines(ctx);
        }
        assertThat(once.lines()).hasSize(3);
        assertThat(once).contains("\"key\":\"ad1|US|mobile|android|chrome|wifi\"");
        assertThat(thrice).isEqualTo(once);
    }
}
