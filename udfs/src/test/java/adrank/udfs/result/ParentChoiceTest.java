package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ParentChoiceTest {

    /** Candidates as impressions, null = no row or no CPM. */
    private static int choose(long min, Long... impressions) {
        return ParentChoice.choose(impressions.length, i -> impressions[i] != null, i -> impressions[i], min);
    }

    @Test
    void theFirstCandidateWithACpmAndEnoughImpressions() {
        assertThat(choose(1000, 5000L, 20_000L, 1_000_000L)).isZero();
        assertThat(choose(1000, 999L, 1000L, 1_000_000L)).isEqualTo(1);
        assertThat(choose(1000, null, 400L, 3000L, 1_000_000L)).isEqualTo(2);
    }

    @Test
    void theLastCandidateIsTheLastResortWhateverItsImpressions() {
        assertThat(choose(1000, 10L, 20L, 30L)).isEqualTo(2);
        assertThat(choose(1000, null, null, 1L)).isEqualTo(2);
        assertThat(choose(1000, 5L)).isZero();
    }

    @Test
    void noneWhenNothingQualifiesAndTheLastHasNoCpm() {
        assertThat(choose(1000, 10L, 20L, null)).isEqualTo(ParentChoice.NONE);
        assertThat(choose(1000)).isEqualTo(ParentChoice.NONE);
        assertThat(choose(0, null, null)).isEqualTo(ParentChoice.NONE);
    }

    @Test
    void aMinimumOfZeroTakesTheFirstWithACpm() {
        assertThat(choose(0, null, 1L, 100L)).isEqualTo(1);
    }

    @Test
    void impressionsOfACandidateWithoutCpmAreNeverAsked() {
        assertThat(ParentChoice.choose(2, i -> i == 1, i -> {
            if (i == 0) {
                throw new AssertionError("asked for candidate 0");
            }
            return 7;
        }, 5)).isEqualTo(1);
    }

    @Test
    void aNegativeMinimumIsRefused() {
        assertThatThrownBy(() -> choose(-1, 5L)).hasMessage("minimum impressions must be >= 0, got -1");
    }

    @Test
    void onlyTheLastResortOrACandidateWithTheMinimumCanBeChosen() {
        assertThat(ParentChoice.canBeChosen(false, 999, 1000)).isFalse();
        assertThat(ParentChoice.canBeChosen(false, 1000, 1000)).isTrue();
        assertThat(ParentChoice.canBeChosen(true, 0, 1000)).isTrue();
        assertThat(ParentChoice.canBeChosen(false, 0, 0)).isTrue();
        assertThatThrownBy(() -> ParentChoice.canBeChosen(true, 5, -1))
                .hasMessage("minimum impressions must be >= 0, got -1");
    }

    @Test
    void leavingOutTheCandidatesThatCannotBeChosenNeverChangesTheChoice() {
        SplittableRandom random = new SplittableRandom(12);
        for (int trial = 0; trial < 20_000; trial++) {
            int n = 1 + random.nextInt(5);
            long min = random.nextInt(4) * 500L;
            Long[] all = new Long[n];
            Long[] kept = new Long[n];
            for (int i = 0; i < n; i++) {
                all[i] = random.nextInt(4) == 0 ? null : (long) random.nextInt(2000);
                // what a publish stores: a candidate that cannot be chosen becomes "no row"
                kept[i] = all[i] != null && ParentChoice.canBeChosen(i == n - 1, all[i], min) ? all[i] : null;
            }
            assertThat(choose(min, kept)).as("min %d, candidates %s", min, java.util.Arrays.toString(all))
                    .isEqualTo(choose(min, all));
        }
    }
}
