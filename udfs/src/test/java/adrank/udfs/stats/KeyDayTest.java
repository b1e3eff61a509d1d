package adrank.udfs.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What an hour and a fold do to a key's state: open days, late re-folds, aging. */
class KeyDayTest {

    private static final LocalDate D = LocalDate.of(2026, 11, 20);
    private static final Counters A = new Counters(10, 1, 0, 5000, 0);
    private static final Counters B = new Counters(4, 0, 0, 2000, 0);
    private static final Counters LATE = new Counters(0, 2, 3, 900, 60_000); // lagged clicks and conversions
    private static final Limits LIMITS = new Limits(200, 5_000_000);
    private static final KeyDay.State EMPTY = new KeyDay.State(OpenDays.NONE, ByDay.EMPTY, null);

    @Test
    void anHourOfAnOpenDaySetsThatDaysEntryFromItsCells() {
        KeyDay.State s = KeyDay.afterHour(EMPTY, D, KeyDay.Phase.OPEN, Map.of(3, A, 5, B), null, LIMITS);
        assertThat(s.open()).isEqualTo(new OpenDays(List.of(new Today(D, 2, new Counters(14, 1, 0, 7000, 0)))));
        assertThat(s.byDay()).isEqualTo(ByDay.EMPTY);
        assertThat(s.total()).isNull();
    }

    @Test
    void theNextDaysFirstHourKeepsTheUnfoldedDayOpen() {
        // 00:10 of D+1 runs before the fold of D: both days are open, the rank counts both
        KeyDay.State today = KeyDay.afterHour(EMPTY, D, KeyDay.Phase.OPEN, Map.of(23, A), null, LIMITS);
        KeyDay.State next = KeyDay.afterHour(today, D.plusDays(1), KeyDay.Phase.OPEN, Map.of(0, B), null, LIMITS);
        assertThat(next.open().days()).containsExactly(new Today(D.plusDays(1), 1, B), new Today(D, 1, A));
        assertThat(next.open().sum()).isEqualTo(new Counters(14, 1, 0, 7000, 0));
        // the fold of D closes D only
        KeyDay.State folded = KeyDay.afterFold(next, D, List.of(A), D, LIMITS);
        assertThat(folded.open().days()).containsExactly(new Today(D.plusDays(1), 1, B));
        assertThat(folded.byDay().entries()).containsExactly(new DayStat(D, A));
        assertThat(folded.total()).isEqualTo(new Total(1, D, A));
        // and a late hour of the still open older day updates it, not today
        KeyDay.State late = KeyDay.afterHour(next, D, KeyDay.Phase.OPEN, Map.of(23, A, 22, LATE), null, LIMITS);
        assertThat(late.open().of(D)).isEqualTo(A.plus(LATE));
        assertThat(late.open().of(D.plusDays(1))).isEqualTo(B);
    }

    @Test
    void aLateHourOfAFoldedDayRefoldsItAndNeverReopensIt() {
        // on time: hours 3 and 5 of D, then the fold of D
        KeyDay.State onTime = KeyDay.afterFold(
                KeyDay.afterHour(EMPTY, D, KeyDay.Phase.OPEN, Map.of(3, A, 5, B), null, LIMITS),
                D, List.of(A, B), D, LIMITS);
        // late: hour 3 and the fold, then hour 5 arrives after the fold
        KeyDay.State foldedEarly = KeyDay.afterFold(
                KeyDay.afterHour(EMPTY, D, KeyDay.Phase.OPEN, Map.of(3, A), null, LIMITS), D, List.of(A), D, LIMITS);
        KeyDay.State late = KeyDay.afterHour(foldedEarly, D, KeyDay.Phase.FOLDED, Map.of(3, A, 5, B), D, LIMITS);
        assertThat(late).isEqualTo(onTime);
        assertThat(late.open().isEmpty()).isTrue();
        assertThat(late.byDay().entries()).containsExactly(new DayStat(D, new Counters(14, 1, 0, 7000, 0)));
        // re-running it with unchanged input changes nothing (idempotent)
        assertThat(KeyDay.afterHour(late, D, KeyDay.Phase.FOLDED, Map.of(3, A, 5, B), D, LIMITS)).isEqualTo(late);
    }

    @Test
    void aRefoldOfAnOlderDayKeepsTheNewerOpenDayAndTheWindow() {
        KeyDay.State s = new KeyDay.State(new OpenDays(List.of(new Today(D.plusDays(1), 1, B))),
                new ByDay(List.of(new DayStat(D, A))), new Total(1, D, A));
        KeyDay.State late = KeyDay.afterHour(s, D, KeyDay.Phase.FOLDED, Map.of(3, A, 9, LATE), D, LIMITS);
        assertThat(late.open().days()).containsExactly(new Today(D.plusDays(1), 1, B));
        assertThat(late.byDay().entries()).containsExactly(new DayStat(D, A.plus(LATE)));
        assertThat(late.total()).isEqualTo(new Total(1, D, A.plus(LATE)));
    }

    @Test
    void whenOtherCellsMayHaveExpiredTheFoldIsKept() {
        KeyDay.State s = new KeyDay.State(OpenDays.NONE, new ByDay(List.of(new DayStat(D, A))), new Total(1, D, A));
        assertThat(KeyDay.afterHour(s, D, KeyDay.Phase.FOLDED_CELLS_EXPIRED, Map.of(5, B), D, LIMITS)).isEqualTo(s);
    }

    @Test
    void phaseComesFromTheFoldAndTheAgeOfTheOtherCells() {
        long ttl = Duration.ofDays(8).toMillis();
        long margin = Duration.ofHours(1).toMillis();
        long now = 1_000_000_000_000L;
        assertThat(KeyDay.phase(false, now - 2 * ttl, now, ttl, margin)).isEqualTo(KeyDay.Phase.OPEN);
        assertThat(KeyDay.phase(true, Long.MAX_VALUE, now, ttl, margin)).isEqualTo(KeyDay.Phase.FOLDED);
        assertThat(KeyDay.phase(true, now - ttl + margin, now, ttl, margin)).isEqualTo(KeyDay.Phase.FOLDED);
        assertThat(KeyDay.phase(true, now - ttl + margin - 1, now, ttl, margin))
                .isEqualTo(KeyDay.Phase.FOLDED_CELLS_EXPIRED);
    }

    @Test
    void aKeyWhoseHistoryAgedOutIsEmpty() {
        // seen only on day 1; max-days 2: after the fold of day 3 nothing is left
        Limits twoDays = new Limits(2, 5_000_000);
        LocalDate day1 = D;
        KeyDay.State s = KeyDay.afterFold(
                KeyDay.afterHour(EMPTY, day1, KeyDay.Phase.OPEN, Map.of(4, A), null, twoDays), day1, List.of(A), day1,
                twoDays);
        KeyDay.State day2 = KeyDay.afterFold(s, day1.plusDays(1), List.of(), day1.plusDays(1), twoDays);
        assertThat(day2.isEmpty()).isFalse(); // day 1 is still inside [day 1, day 2]
        KeyDay.State day3 = KeyDay.afterFold(day2, day1.plusDays(2), List.of(), day1.plusDays(2), twoDays);
        assertThat(day3.isEmpty()).isTrue();
        assertThat(day3.total()).isNull();
    }

    @Test
    void openDaysEncodeAsTheSingleDayFormatJoinedByCommas() {
        OpenDays one = new OpenDays(List.of(new Today(D, 2, A)));
        assertThat(one.encode()).isEqualTo("20261120 2 10 1 0 5000 0");
        OpenDays two = new OpenDays(List.of(new Today(D.plusDays(1), 1, B), new Today(D, 2, A)));
        assertThat(two.encode()).isEqualTo("20261121 1 4 0 0 2000 0,20261120 2 10 1 0 5000 0");
        assertThat(OpenDays.decode(two.encode())).isEqualTo(two);
        assertThat(OpenDays.decode(null)).isEqualTo(OpenDays.NONE);
        assertThat(OpenDays.NONE.encode()).isNull();
        assertThat(two.foldedThrough(D.plusDays(1))).isEqualTo(OpenDays.NONE);
        assertThat(two.with(D, Map.of())).isEqualTo(new OpenDays(List.of(new Today(D.plusDays(1), 1, B))));
        assertThatThrownBy(() -> new OpenDays(List.of(new Today(D, 1, A), new Today(D, 1, B))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
