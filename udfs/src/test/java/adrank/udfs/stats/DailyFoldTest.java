package adrank.udfs.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DailyFoldTest {

    private static final LocalDate D1 = LocalDate.of(2026, 11, 1);
    private static final Limits WIDE = new Limits(200, 5_000_000);

    private static Counters imps(long imps) {
        return new Counters(imps, imps / 10, imps / 100, imps * 1000, 0);
    }

    @Test
    void foldsHourCellsIntoANewestFirstEntry() {
        DailyFold.Result first = DailyFold.fold(ByDay.EMPTY, D1, List.of(imps(100), imps(50)), D1, WIDE);
        DailyFold.Result second = DailyFold.fold(first.byDay(), D1.plusDays(1), List.of(imps(10)), D1.plusDays(1), WIDE);
        assertThat(second.byDay().entries()).containsExactly(
                new DayStat(D1.plusDays(1), imps(10)),
                new DayStat(D1, new Counters(150, 15, 1, 150_000, 0)));
        assertThat(second.total()).isEqualTo(new Total(2, D1, new Counters(160, 16, 1, 160_000, 0)));
    }

    @Test
    void refoldingADayReplacesItsEntry() {
        ByDay once = DailyFold.fold(ByDay.EMPTY, D1, List.of(imps(100)), D1, WIDE).byDay();
        DailyFold.Result twice = DailyFold.fold(once, D1, List.of(imps(100)), D1, WIDE);
        assertThat(twice.byDay()).isEqualTo(once);
        DailyFold.Result changed = DailyFold.fold(once, D1, List.of(imps(70)), D1, WIDE);
        assertThat(changed.byDay().entries()).containsExactly(new DayStat(D1, imps(70)));
    }

    @Test
    void aDayWithoutCellsRemovesItsEntry() {
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(1), imps(5)), new DayStat(D1, imps(7))));
        DailyFold.Result result = DailyFold.fold(history, D1, List.of(), D1.plusDays(1), WIDE);
        assertThat(result.byDay().entries()).containsExactly(new DayStat(D1.plusDays(1), imps(5)));
        assertThat(DailyFold.fold(ByDay.EMPTY, D1, List.of(), D1, WIDE).total()).isNull();
    }

    @Test
    void lateDayIsInsertedInOrder() {
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(2), imps(1)), new DayStat(D1, imps(3))));
        DailyFold.Result result = DailyFold.fold(history, D1.plusDays(1), List.of(imps(2)), D1.plusDays(2), WIDE);
        assertThat(result.byDay().entries()).extracting(DayStat::day)
                .containsExactly(D1.plusDays(2), D1.plusDays(1), D1);
    }

    @Test
    void maxDaysPrunesEntriesOutsideTheCalendarWindow() {
        // max-days 3 ending at D1+4 keeps D1+2 .. D1+4; D1+1 and D1 are pruned (days may be skipped).
        Limits threeDays = new Limits(3, 5_000_000);
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(3), imps(1)), new DayStat(D1.plusDays(2), imps(2)),
                new DayStat(D1.plusDays(1), imps(4)), new DayStat(D1, imps(8))));
        DailyFold.Result result = DailyFold.fold(history, D1.plusDays(4), List.of(imps(16)), D1.plusDays(4), threeDays);
        assertThat(result.byDay().entries()).extracting(DayStat::day)
                .containsExactly(D1.plusDays(4), D1.plusDays(3), D1.plusDays(2));
        assertThat(result.total().counters().imps()).isEqualTo(16 + 1 + 2);
        assertThat(result.total().oldestDay()).isEqualTo(D1.plusDays(2));
    }

    @Test
    void maxDaysCountsCalendarDaysNotEntries() {
        // Skipped days still use up the window: with max-days 3 ending at D1+5, only D1+3..D1+5 count.
        Limits threeDays = new Limits(3, 5_000_000);
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(2), imps(2)), new DayStat(D1, imps(8))));
        DailyFold.Result result = DailyFold.fold(history, D1.plusDays(5), List.of(imps(1)), D1.plusDays(5), threeDays);
        assertThat(result.byDay().entries()).containsExactly(new DayStat(D1.plusDays(5), imps(1)));
    }

    @Test
    void maxImpressionsStopsAtTheFirstDayThatWouldExceedIt() {
        // newest first: 400 (400), 500 (900), 200 (1100 > 1000: stop), 10 is not reached either.
        Limits thousand = new Limits(200, 1000);
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(2), imps(500)), new DayStat(D1.plusDays(1), imps(200)),
                new DayStat(D1, imps(10))));
        DailyFold.Result result = DailyFold.fold(history, D1.plusDays(3), List.of(imps(400)), D1.plusDays(3), thousand);
        assertThat(result.total()).isEqualTo(new Total(2, D1.plusDays(2), imps(400).plus(imps(500))));
        // the by-day history keeps every day in the window; only the total is limited
        assertThat(result.byDay().entries()).hasSize(4);
    }

    @Test
    void theNewestDayAlwaysCountsEvenAboveTheLimit() {
        Limits ten = new Limits(200, 10);
        DailyFold.Result result = DailyFold.fold(new ByDay(List.of(new DayStat(D1, imps(1)))), D1.plusDays(1),
                List.of(imps(500)), D1.plusDays(1), ten);
        assertThat(result.total()).isEqualTo(new Total(1, D1.plusDays(1), imps(500)));
    }

    @Test
    void refoldingAnOlderDayKeepsTheWindowOfTheNewestFold() {
        Limits twoDays = new Limits(2, 5_000_000);
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(1), imps(3)), new DayStat(D1, imps(5))));
        // Re-fold D1 after D1+1 was folded: the window still ends at D1+1, so D1 stays and counts.
        DailyFold.Result result = DailyFold.fold(history, D1, List.of(imps(6)), D1.plusDays(1), twoDays);
        assertThat(result.byDay().entries()).containsExactly(new DayStat(D1.plusDays(1), imps(3)), new DayStat(D1, imps(6)));
        assertThat(result.total().counters().imps()).isEqualTo(9);
    }

    @Test
    void byDayListsRoundTripThroughTheirEncoding() {
        ByDay history = new ByDay(List.of(new DayStat(D1.plusDays(3), new Counters(10, 2, 1, 30_000, 5_000_000)),
                new DayStat(D1, new Counters(7, 0, 0, 14_000, 0))));
        List<String> lists = history.encode();
        assertThat(lists).containsExactly("20261104 20261101", "10 7", "2 0", "1 0", "30000 14000", "5000000 0");
        assertThat(ByDay.decode(lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4), lists.get(5)))
                .isEqualTo(history);
        assertThat(ByDay.decode(null, null, null, null, null, null)).isEqualTo(ByDay.EMPTY);
    }

    @Test
    void totalAndTodayRoundTrip() {
        Total total = new Total(3, D1, new Counters(1, 2, 3, 4, 5));
        assertThat(total.encode()).isEqualTo("3 20261101 1 2 3 4 5");
        assertThat(Total.decode(total.encode())).isEqualTo(total);
        Today today = new Today(D1, 2, new Counters(9, 8, 7, 6, 5));
        assertThat(Today.decode(today.encode())).isEqualTo(today);
    }
}
