package adrank.udfs.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known answers here are plain arithmetic, worked out by hand in the comments. */
class RatesTest {

    @Test
    void cpmIsRevenuePerThousandImpressionsInMicros() {
        // 2.50 of currency (2_500_000 micros) over 1000 impressions is a CPM of 2.50.
        assertThat(Rates.cpm(2_500_000L, 1000L)).isEqualTo(2_500_000.0);
        // 7 micros over 3 impressions: 7 / 3 * 1000 = 2333.33…
        assertThat(Rates.cpm(7L, 3L)).isCloseTo(2333.3333333333335, within(1e-9));
    }

    @Test
    void cpmIsNullWithoutImpressions() {
        assertThat(Rates.cpm(0L, 0L)).isNull();
    }

    @Test
    void revenueWithoutImpressionsHasNoCpm() {
        // lagged CPC/CPA revenue of a period without impressions: no CPM, not an error
        assertThat(Rates.cpm(5L, 0L)).isNull();
        assertThatThrownBy(() -> Rates.cpm(-5L, 0L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("revenueMicros (-5) is negative");
    }

    @Test
    void ctrAndCvr() {
        assertThat(Rates.ctr(25L, 1000L)).isEqualTo(0.025);
        assertThat(Rates.cvr(3L, 120L)).isEqualTo(0.025);
        assertThat(Rates.ctr(0L, 0L)).isNull();
        assertThat(Rates.cvr(0L, 0L)).isNull();
    }

    @Test
    void laggedEventsMakeRatesAboveOne() {
        // conversions of earlier clicks (and view-through ones) arrive in this period
        assertThat(Rates.cvr(12L, 10L)).isEqualTo(1.2);
        assertThat(Rates.ctr(11L, 10L)).isEqualTo(1.1);
    }

    @Test
    void nullsAndNegativesAreNamed() {
        assertThatThrownBy(() -> Rates.cpm(null, 10L))
            .isInstanceOf(InvalidInputException.class).hasMessage("revenueMicros is null");
        assertThatThrownBy(() -> Rates.cpm(10L, -1L))
            .isInstanceOf(InvalidInputException.class).hasMessage("impressions (-1) is negative");
        assertThatThrownBy(() -> Rates.ctr(null, 10L))
            .isInstanceOf(InvalidInputException.class).hasMessage("clicks is null");
        assertThatThrownBy(() -> Rates.cvr(-2L, 10L))
            .isInstanceOf(InvalidInputException.class).hasMessage("conversions (-2) is negative");
    }
}
