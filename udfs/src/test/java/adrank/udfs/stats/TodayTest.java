package adrank.udfs.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TodayTest {

    private static final LocalDate D = LocalDate.of(2026, 11, 20);
    private static final Counters A = new Counters(10, 1, 0, 5000, 0);
    private static final Counters B = new Counters(4, 0, 0, 2000, 0);

    @Test
    void sumsTheDaysHourCells() {
        Today.Update update = Today.afterHour(D, null, Map.of(3, A, 5, B));
        assertThat(update).isEqualTo(new Today.Set(new Today(D, 2, new Counters(14, 1, 0, 7000, 0))));
    }

    @Test
    void aNewDayReplacesYesterdaysToday() {
        assertThat(Today.afterHour(D.plusDays(1), D, Map.of(0, B)))
                .isEqualTo(new Today.Set(new Today(D.plusDays(1), 1, B)));
    }

    @Test
    void aLateHourOfAnOlderDayLeavesTodayAlone() {
        assertThat(Today.afterHour(D, D.plusDays(1), Map.of(7, A))).isInstanceOf(Today.Keep.class);
    }

    @Test
    void losingTheLastHourCellClearsTodayOnlyForThatDay() {
        assertThat(Today.afterHour(D, D, Map.of())).isInstanceOf(Today.Clear.class);
        assertThat(Today.afterHour(D, null, Map.of())).isInstanceOf(Today.Keep.class);
        assertThat(Today.afterHour(D, D.minusDays(1), Map.of())).isInstanceOf(Today.Keep.class);
    }

    @Test
    void dailyResetsTodayOfTheFoldedOrAnOlderDay() {
        assertThat(Today.resetByDaily(D, D)).isTrue();
        assertThat(Today.resetByDaily(D, D.minusDays(2))).isTrue();
        assertThat(Today.resetByDaily(D, D.plusDays(1))).isFalse();
        assertThat(Today.resetByDaily(D, null)).isFalse();
    }
}
