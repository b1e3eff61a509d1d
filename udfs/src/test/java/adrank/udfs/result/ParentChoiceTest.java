package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
