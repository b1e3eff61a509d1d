package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.udfs.stats.HourId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A missing or unfinished partition fails with a message naming the path; empty hours are fine. */
@ExtendWith(AdrankStack.class)
class MissingPartitionIT {

    private static final LocalDate DAY = LocalDate.of(2026, 4, 1);

    @Test
    void missingPartitionNamesThePath(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("missing", Map.of())) {
            String expected = ctx.config().input().path() + "/t_raw_events/dt=2026-04-01/hr=03/_SUCCESS";
            assertThatThrownBy(() -> HourlyJob.run(ctx, new HourId(DAY, 3)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining(expected)
                    .hasMessageContaining("no such directory");
        }
    }

    @Test
    void partitionWithoutSuccessMarkerIsNotReady(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("unfinished", Map.of())) {
            Path dir = TestHours.writeHour(Path.of(ctx.config().input().path()), "2026-04-01", "04",
                    List.of(TestHours.line("2026-04-01 04:00:00", "imp", "ad1", "US", "chrome", 1, 0)));
            Files.delete(dir.resolve("_SUCCESS"));
            assertThatThrownBy(() -> HourlyJob.run(ctx, new HourId(DAY, 4)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining(dir + "/_SUCCESS does not exist")
                    .hasMessageContaining("not marked complete");
            // daily refuses to fold a day whose latest hour run failed, and a day without applied hours
            assertThatThrownBy(() -> DailyJob.run(ctx, DAY))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("the latest run of 2026-04-01 04 is FAILED");
            // the next day's fold folds the unfolded older day first, so it fails naming that day's hour
            assertThatThrownBy(() -> DailyJob.run(ctx, DAY.plusDays(1)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("the older day 2026-04-01 has applied hours but was never folded")
                    .hasMessageContaining("the latest run of 2026-04-01 04 is FAILED");
            assertThatThrownBy(() -> DailyJob.run(ctx, DAY.plusDays(5)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("2026-04-01");
        }
        try (RunContext ctx = stack.newContext("nohours", Map.of())) {
            assertThatThrownBy(() -> DailyJob.run(ctx, DAY.plusDays(1)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("no hour of 2026-04-02 has been applied");
        }
    }

    @Test
    void emptyPartitionIsAValidZeroHour(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("empty", Map.of())) {
            Path dir = Path.of(ctx.config().input().path(), "t_raw_events/dt=2026-04-01/hr=05");
            Files.createDirectories(dir);
            Files.createFile(dir.resolve("_SUCCESS"));
            HourlyJob.Outcome outcome = HourlyJob.run(ctx, new HourId(DAY, 5));
            assertThat(outcome.rowsIn()).isZero();
            assertThat(outcome.keysWritten()).isZero();
            assertThat(ctx.ledger().latestPerUnit(DAY)).singleElement()
                    .satisfies(r -> assertThat(r.succeeded()).isTrue());
        }
    }
}
