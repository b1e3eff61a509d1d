package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.result.KeyState;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Limits;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand: the state a key had right after the fold of D, and D+1's counters. */
class EvalAsOfDayTest {

    private static final LocalDate JUN_1 = LocalDate.of(2026, 6, 1);
    private static final Counters C_0605 = new Counters(10, 1, 0, 100, 0);
    private static final Counters C_0603 = new Counters(20, 2, 1, 200, 50);
    private static final Counters C_0601 = new Counters(40, 4, 0, 400, 0);
    private static final Counters C_0520 = new Counters(5, 0, 0, 50, 0);

    /** Stored today (newest first): June 5, 3, 1 and May 20. */
    private static final ByDay STORED = new ByDay(List.of(new DayStat(JUN_1.plusDays(4), C_0605),
            new DayStat(JUN_1.plusDays(2), C_0603), new DayStat(JUN_1, C_0601),
            new DayStat(LocalDate.of(2026, 5, 20), C_0520)));

    @Test
    void daysAfterDAreDroppedAndTheWindowEndsAtD() {
        // as of June 4 with a 10-day window: [May 26, June 4] holds June 3 and June 1 (May 20 is out)
        KeyState s = AsOfDay.history("k", STORED, JUN_1.plusDays(3), new Limits(10, 1000));
        assertThat(s.byDay().entries()).extracting(DayStat::day).containsExactly(JUN_1.plusDays(2), JUN_1);
        assertThat(s.open().isEmpty()).isTrue();
        assertThat(s.total().days()).isEqualTo(2);
        assertThat(s.total().oldestDay()).isEqualTo(JUN_1);
        // 20 + 40 impressions, 2 + 4 clicks, 1 conversion, 200 + 400 revenue, 50 value
        assertThat(s.total().counters()).isEqualTo(new Counters(60, 6, 1, 600, 50));
        assertThat(s.rankCounters()).isEqualTo(new Counters(60, 6, 1, 600, 50));
    }

    @Test
    void aWideWindowKeepsTheOldDay() {
        // a 20-day window as of June 4 starts May 16: May 20 is in
        KeyState s = AsOfDay.history("k", STORED, JUN_1.plusDays(3), new Limits(20, 1000));
        assertThat(s.total().counters()).isEqualTo(new Counters(65, 6, 1, 650, 50));
        assertThat(s.total().oldestDay()).isEqualTo(LocalDate.of(2026, 5, 20));
    }

    @Test
    void theImpressionLimitStopsTheTotalButTheNewestDayAlwaysCounts() {
        // max 30 impressions: June 3 (20) counts, + June 1 (40) = 60 > 30 stops
        KeyState s = AsOfDay.history("k", STORED, JUN_1.plusDays(3), new Limits(10, 30));
        assertThat(s.total().days()).isEqualTo(1);
        assertThat(s.total().counters()).isEqualTo(C_0603);
        assertThat(s.byDay().entries()).hasSize(2); // the by-day history keeps what the window keeps
        // max 5 impressions: June 5 alone has 10, yet counts
        KeyState newest = AsOfDay.history("k", STORED, JUN_1.plusDays(4), new Limits(10, 5));
        assertThat(newest.total().counters()).isEqualTo(C_0605);
    }

    @Test
    void noHistoryAsOfDIsNull() {
        assertThat(AsOfDay.history("k", STORED, LocalDate.of(2026, 5, 19), new Limits(10, 1000))).isNull();
        // June 20 with a 10-day window [June 11, June 20]: every entry is older
        assertThat(AsOfDay.history("k", STORED, JUN_1.plusDays(19), new Limits(10, 1000))).isNull();
        assertThat(AsOfDay.history("k", ByDay.EMPTY, JUN_1, new Limits(10, 1000))).isNull();
    }

    @Test
    void realisedIsTheDaysEntryOrZero() {
        assertThat(AsOfDay.realised(STORED, JUN_1.plusDays(4))).isEqualTo(C_0605);
        assertThat(AsOfDay.realised(STORED, JUN_1.plusDays(2))).isEqualTo(C_0603);
        assertThat(AsOfDay.realised(STORED, JUN_1.plusDays(3))).isEqualTo(Counters.ZERO);
        assertThat(AsOfDay.realised(STORED, JUN_1.plusDays(10))).isEqualTo(Counters.ZERO);
        assertThat(AsOfDay.realised(ByDay.EMPTY, JUN_1)).isEqualTo(Counters.ZERO);
    }
}
