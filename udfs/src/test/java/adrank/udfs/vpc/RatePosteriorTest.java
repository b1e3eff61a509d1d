package adrank.udfs.vpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class RatePosteriorTest {

    /** Relative tolerance of the known answers (quantiles by root finding). */
    static final Percentage REL = Percentage.withPercentage(1e-7);

    @Test
    void quantilesOfAKnownGamma() {
        // Gamma(2, rate 1) is half a chi-square with 4 degrees of freedom: chi2_4 quantiles
        // 0.710723 / 9.487729 (tables); known_answers: gamma_q(2, 0.05), gamma_q(2, 0.95) by mpmath.
        RatePosterior g = new RatePosterior(2, 1);
        Interval i = g.interval(0.9);
        assertThat(i.lo()).isCloseTo(0.35536151069866206, REL);
        assertThat(i.hi()).isCloseTo(4.7438645183905773, REL);
        assertThat(g.quantile(0.05)).isCloseTo(0.35536151069866206, REL);
        // the rate scales: Gamma(2, rate 4) = Gamma(2, 1) / 4
        assertThat(new RatePosterior(2, 4).interval(0.9).hi()).isCloseTo(4.7438645183905773 / 4, REL);
        assertThat(g.mean()).isEqualTo(2.0);
        assertThat(g.strength()).isEqualTo(1.0);
    }

    @Test
    void intervalOfTheVpcTestsPosterior() {
        // known_answers (mpmath): Gamma(9.2525, rate 326.3025), level 0.9
        Interval i = new RatePosterior(9.2525, 326.3025).interval(0.9);
        assertThat(i.lo()).isCloseTo(0.014949969918909396, REL);
        assertThat(i.hi()).isCloseTo(0.045224503772913345, REL);
    }

    @Test
    void anchoredUpdateTakesMoreConversionsThanClicks() {
        // Hand-computed: prior (2, 40), λ = 0.9.
        // day 1: 3 conversions on 2 clicks (lagged ones from earlier clicks):
        //   shape = 0.9·2 + 0.1·2 + 3 = 5, rate = 0.9·40 + 0.1·40 + 2 = 42
        // day 2: 0 conversions on 10 clicks: shape = 0.9·5 + 0.1·2 = 4.7, rate = 0.9·42 + 4 + 10 = 51.8
        RatePosterior prior = new RatePosterior(2, 40);
        RatePosterior day1 = prior.updateAnchored(prior, 3L, 2L, 0.9);
        assertThat(day1.shape()).isCloseTo(5, within(1e-12));
        assertThat(day1.rate()).isCloseTo(42, within(1e-12));
        RatePosterior day2 = day1.updateAnchored(prior, 0L, 10L, 0.9);
        assertThat(day2.shape()).isCloseTo(4.7, within(1e-12));
        assertThat(day2.rate()).isCloseTo(51.8, within(1e-12));
        // conversions without any click (view-through only) are a valid day too
        RatePosterior viewThrough = prior.updateAnchored(prior, 4L, 0L, 1.0);
        assertThat(viewThrough).isEqualTo(new RatePosterior(6, 40));
    }

    @Test
    void decayMovesTowardThePrior() {
        // shape_0 + λ^days (shape − shape_0): 2 + 0.81·(10 − 2) = 8.48; 40 + 0.81·(140 − 40) = 121
        RatePosterior prior = new RatePosterior(2, 40);
        RatePosterior aged = new RatePosterior(10, 140).decayAnchored(prior, 0.9, 2);
        assertThat(aged.shape()).isCloseTo(8.48, within(1e-12));
        assertThat(aged.rate()).isCloseTo(121, within(1e-12));
        assertThat(aged.decayAnchored(prior, 0.9, 0)).isEqualTo(aged);
    }

    @Test
    void faultyInput() {
        RatePosterior prior = new RatePosterior(1, 10);
        assertThatThrownBy(() -> new RatePosterior(0, 1)).isInstanceOf(InvalidInputException.class)
            .hasMessage("shape (0.0) is not a finite number > 0");
        assertThatThrownBy(() -> prior.updateAnchored(prior, -1L, 3L, 0.9))
            .isInstanceOf(InvalidInputException.class).hasMessage("conversions (-1) is negative");
        assertThatThrownBy(() -> prior.updateAnchored(prior, null, 3L, 0.9))
            .isInstanceOf(InvalidInputException.class).hasMessage("conversions is null");
        assertThatThrownBy(() -> prior.updateAnchored(null, 1L, 3L, 0.9))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> prior.updateAnchored(prior, 1L, 3L, 0))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> prior.interval(1)).isExactlyInstanceOf(IllegalArgumentException.class);
    }

    static Offset<Double> abs(double tolerance) {
        return within(tolerance);
    }
}
