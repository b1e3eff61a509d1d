package adrank.udfs.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DriftTest {

    @Test
    void zScoreUnderPoisson() {
        // Total 200 conversions / 10_000 clicks = 2 %; today 1000 clicks → expected 20,
        // observed 30: z = 10 / sqrt(20) = 2.2360679774997896964 (mpmath, known_answers.py).
        assertThat(Drift.zScore(30L, 1000L, 200L, 10_000L))
            .isCloseTo(2.2360679774997896964, within(1e-15));
        // Total 6 %, today 500 clicks → expected 30, observed 0: z = −sqrt(30).
        assertThat(Drift.zScore(0L, 500L, 60L, 1000L))
            .isCloseTo(-5.4772255750516611346, within(1e-14));
    }

    @Test
    void varianceIsFlooredAtHalfAConversion() {
        // The total never converted: expected 0, so z = (1 − 0) / sqrt(0.5) = sqrt(2).
        assertThat(Drift.zScore(1L, 100L, 0L, 1000L)).isCloseTo(Math.sqrt(2), within(1e-15));
        // Expected 0.1 (< 0.5): z = (1 − 0.1) / sqrt(0.5).
        assertThat(Drift.zScore(1L, 100L, 1L, 1000L))
            .isCloseTo(0.9 / Math.sqrt(0.5), within(1e-15));
        // Nothing expected, nothing seen.
        assertThat(Drift.zScore(0L, 0L, 0L, 1000L)).isZero();
        assertThat(Drift.zScore(0L, 0L, 5L, 1000L)).isZero();
    }

    @Test
    void noReferenceWithoutTotalClicks() {
        assertThat(Drift.zScore(1L, 10L, 0L, 0L)).isNull();
    }

    @Test
    void adjustReducesWeightAndFlagsBeyondThresholdInEitherDirection() {
        DriftPolicy policy = new DriftPolicy(3, 0.25);
        assertThat(Drift.adjust(0.8, 3.5, policy)).isEqualTo(new DriftAdjustment(0.2, true));
        assertThat(Drift.adjust(0.8, -3.5, policy)).isEqualTo(new DriftAdjustment(0.2, true));
        assertThat(Drift.adjust(0.8, 3.0, policy)).isEqualTo(new DriftAdjustment(0.8, false));
        assertThat(Drift.adjust(0.8, null, policy)).isEqualTo(new DriftAdjustment(0.8, false));
    }

    @Test
    void moreConversionsThanClicksIsARateNotAnError() {
        // total 30 conversions on 20 clicks (rate 1.5); today 5 on 2 clicks: expected 3,
        // z = (5 − 3)/√3 = 1.1547005383792515 (known_answers, mpmath)
        assertThat(Drift.zScore(5L, 2L, 30L, 20L)).isCloseTo(1.1547005383792515, within(1e-15));
        // an idle period: nothing expected, nothing seen
        assertThat(Drift.zScore(0L, 0L, 30L, 20L)).isEqualTo(0.0);
        // conversions without clicks today (view-through or lagged): (2 − 0)/√0.5
        assertThat(Drift.zScore(2L, 0L, 30L, 20L)).isCloseTo(2 / Math.sqrt(0.5), within(1e-15));
    }

    @Test
    void faultyInput() {
        assertThatThrownBy(() -> Drift.zScore(-1L, 3L, 10L, 100L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("todayConversions (-1) is negative");
        assertThatThrownBy(() -> Drift.zScore(1L, 3L, null, 100L))
            .isInstanceOf(InvalidInputException.class).hasMessage("totalConversions is null");
        assertThatThrownBy(() -> Drift.adjust(0.5, Double.NaN, new DriftPolicy(3, 0.5)))
            .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new DriftPolicy(0, 0.5))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("drift threshold (0.0) is not in (0.0, Infinity)");
        assertThatThrownBy(() -> new DriftPolicy(3, 1.5))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("drift factor (1.5) is not in [0.0, 1.0]");
    }
}
