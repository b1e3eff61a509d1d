package adrank.udfs.vpc;

import static adrank.udfs.vpc.RatePosteriorTest.REL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import adrank.udfs.rank.InvalidInputException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Known answers from src/test/python/known_answers.py: exact {@code Fraction} arithmetic for
 * the parameters, mpmath 1.3.0 at 50 digits for the quantiles ({@code rate / gamma_q(shape, 1
 * − p)} with {@code gamma_q} the root of the regularized lower incomplete gamma
 * {@code mp.gammainc(a, 0, x, regularized=True) = p}), cross-checked with SciPy 1.17.1
 * {@code scipy.stats.invgamma.ppf(p, shape, scale=rate)} (agreement better than 1e-15).
 */
class ValuePosteriorTest {

    // Parent: 400 conversions worth 20_000_000_000 micros (mean 50 currency units), strength 9.
    private static final ValuePosterior PRIOR = ValuePosterior.prior(400L, 20_000_000_000L, 9);

    @Test
    void priorHasTheParentsMeanExactly() {
        assertThat(PRIOR).isEqualTo(new ValuePosterior(10, 450_000_000));
        assertThat(PRIOR.mean()).isEqualTo(50_000_000.0);
    }

    @Test
    void withoutForgettingTheMeanIsTheShrinkageForm() {
        // Days (conversions, value): (3, 150e6), (0, 0), (5, 400e6); n = 8, V = 550e6.
        // (k·V̄ + V) / (k + n) = (9 × 50e6 + 550e6) / 17 = 1e9 / 17, worked by hand.
        ValuePosterior p = PRIOR.update(3L, 150_000_000L, 1).update(0L, 0L, 1)
            .update(5L, 400_000_000L, 1);
        assertThat(p).isEqualTo(new ValuePosterior(18, 1_000_000_000));
        assertThat(p.mean()).isCloseTo(1e9 / 17, REL);
    }

    @Test
    void dailyUpdateWithForgettingMatchesMpmath() {
        // known_answers.py: shape = 368/25 = 14.72, rate = 849_550_000.
        ValuePosterior p = PRIOR.update(3L, 150_000_000L, 0.9).update(0L, 0L, 0.9)
            .update(5L, 400_000_000L, 0.9);
        assertThat(p.shape()).isCloseTo(14.72, REL);
        assertThat(p.rate()).isCloseTo(849_550_000.0, REL);
        assertThat(p.mean()).isCloseTo(61920553.935860058309, REL);
        Interval i = p.interval(0.9);
        assertThat(i.lo()).isCloseTo(39429163.282851671331, REL);
        assertThat(i.hi()).isCloseTo(94117326.699172987262, REL);
        assertThat(p.quantile(0.05)).isCloseTo(39429163.282851671331, REL);
        assertThat(p.quantile(0.95)).isCloseTo(94117326.699172987262, REL);
    }

    @Test
    void quantilesMatchTheExponentialClosedForm() {
        // Shape 1: θ ~ Gamma(1, rate b) is exponential, P(θ ≥ t) = exp(−b·t); so the value
        // μ = 1/θ has P(μ ≤ x) = P(θ ≥ 1/x) = exp(−b/x), and μ_p = b / (−ln p).
        ValuePosterior p = new ValuePosterior(1, 3_000_000);
        for (double q : new double[] {0.01, 0.05, 0.5, 0.95, 0.99}) {
            double expected = 3_000_000 / -Math.log(q);
            assertThat(p.quantile(q)).isCloseTo(expected, REL);
        }
        assertThat(p.mean()).as("no mean for shape <= 1").isNull();
    }

    @Test
    void anchoredUpdateKeepsThePrior() {
        ValuePosterior p = PRIOR.updateAnchored(PRIOR, 3L, 150_000_000L, 0.9)
            .decayAnchored(PRIOR, 0.9, 400);
        assertThat(p.shape()).isCloseTo(10, REL);
        assertThat(p.rate()).isCloseTo(450_000_000, REL);
        // The spec's recursion instead lets the prior fade until the mean no longer exists.
        assertThat(PRIOR.decay(0.9, 400).mean()).isNull();
    }

    @Test
    void forgettingWithLambdaOneIsThePlainConjugateSum() {
        SplittableRandom rnd = new SplittableRandom(99L);
        for (int run = 0; run < 500; run++) {
            ValuePosterior prior = new ValuePosterior(rnd.nextDouble(1.1, 50),
                rnd.nextDouble(1e3, 1e10));
            ValuePosterior p = prior;
            ValuePosterior anchored = prior;
            double shape = prior.shape(); // the plain conjugate update, day by day
            double rate = prior.rate();
            long n = 0;
            long v = 0;
            for (int day = 0; day < 60; day++) {
                long conv = rnd.nextLong(0, 50);
                long value = conv == 0 ? 0 : rnd.nextLong(0, conv * 500_000_000L);
                p = p.update(conv, value, 1);
                anchored = anchored.updateAnchored(prior, conv, value, 1);
                shape += conv;
                rate += value;
                n += conv;
                v += value;
            }
            assertThat(p).isEqualTo(new ValuePosterior(shape, rate));
            assertThat(anchored).isEqualTo(new ValuePosterior(shape, rate));
            assertThat(p.shape()).isCloseTo(prior.shape() + n, withinPercentage(1e-13));
            assertThat(p.rate()).isCloseTo(prior.rate() + v, withinPercentage(1e-13));
        }
    }

    @Test
    void meanLiesInsideItsCredibleInterval() {
        // Domain shape ≥ 1.1: the prior has shape k + 1 and data only adds. Below ≈ 1.063 the
        // mean exceeds the 95 % quantile (SciPy: brentq on gamma.cdf(a − 1, a) = 0.05).
        SplittableRandom rnd = new SplittableRandom(31L);
        for (int i = 0; i < 2000; i++) {
            ValuePosterior p = new ValuePosterior(1.1 + Math.exp(rnd.nextDouble(-5, 10)),
                Math.exp(rnd.nextDouble(0, 25)));
            Interval interval = p.interval(0.9);
            assertThat(interval.contains(p.mean())).as("%s: %s", p, interval).isTrue();
        }
    }

    @Test
    void faultyInput() {
        assertThatThrownBy(() -> PRIOR.update(0L, 500L, 0.9))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("valueMicros (500) > 0 with conversions (0)");
        assertThatThrownBy(() -> PRIOR.update(2L, -5L, 0.9))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("valueMicros (-5) is negative");
        assertThatThrownBy(() -> ValuePosterior.prior(400L, 0L, 9))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("parent has parentConversions (400) and parentValueMicros (0);"
                + " a value prior needs both > 0");
        assertThatThrownBy(() -> ValuePosterior.prior(400L, 1000L, 0))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ValuePosterior(Double.POSITIVE_INFINITY, 1))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("shape (Infinity) is not a finite number > 0");
    }
}
