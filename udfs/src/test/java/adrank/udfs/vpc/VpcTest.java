package adrank.udfs.vpc;

import static adrank.udfs.vpc.RatePosteriorTest.REL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.junit.jupiter.api.Test;

class VpcTest {

    // Conversions per click Gamma(9.2525, rate 326.3025) and the λ = 9/10 value posterior of
    // ValuePosteriorTest.
    private static final RatePosterior CVR = new RatePosterior(3701.0 / 400, 6341.0 / 20 + 3701.0 / 400);
    private static final ValuePosterior VALUE = new ValuePosterior(14.72, 849_550_000);

    @Test
    void knownAnswerInClosedForm() {
        // p ~ Gamma(2, rate 10), value rate ~ Gamma(3, rate 200): ψ(2) = 1 − γ, ψ(3) = 3/2 − γ,
        // ψ₁(2) = π²/6 − 1, ψ₁(3) = π²/6 − 5/4, so m = −1/2 + ln 20, s² = π²/3 − 9/4; z(0.95) = 1.6448536269514722
        VpcEstimate e = Vpc.estimate(new RatePosterior(2, 10), new ValuePosterior(3, 200), 0.9);
        double m = -0.5 + Math.log(20);
        double s = Math.sqrt(Math.PI * Math.PI / 3 - 2.25);
        double z = 1.6448536269514722;
        assertThat(e.lo()).isCloseTo(Math.exp(m - z * s), REL);
        assertThat(e.hi()).isCloseTo(Math.exp(m + z * s), REL);
        assertThat(e.mean()).isCloseTo(2.0 / 10 * 200 / 2, REL); // E[p]·E[μ] = 0.2 · 100
    }

    @Test
    void knownAnswerFromAnIndependentDigamma() {
        // m and s from digamma / trigamma by their asymptotic series (Python, shifted to x ≥ 10):
        // lo = exp(m − z·s), hi = exp(m + z·s); mean = a/r · rate/(shape − 1) (mpmath)
        VpcEstimate e = Vpc.estimate(CVR, VALUE);
        assertThat(e.level()).isEqualTo(0.9);
        assertThat(e.mean()).isCloseTo(1755793.8578207190858, REL);
        assertThat(e.lo()).isCloseTo(790992.173488644, REL);
        assertThat(e.hi()).isCloseTo(3248796.2868231023, REL);
        assertThat(e.cvrMean()).isEqualTo(CVR.mean());
        assertThat(e.valueMean()).isEqualTo(VALUE.mean());
        assertThat(e.cvr()).isEqualTo(CVR.interval(0.9));
        assertThat(e.value()).isEqualTo(VALUE.interval(0.9));
    }

    @Test
    void meanLiesInsideTheIntervalForValueShapesFromTwo() {
        // The mean of a right-skewed product lies above the interval's centre; with value shapes from 2
        // (two conversions' worth of evidence or prior) and levels from 0.8 it stays inside.
        SplittableRandom rnd = new SplittableRandom(8L);
        for (int i = 0; i < 1000; i++) {
            RatePosterior cvr = new RatePosterior(Math.exp(rnd.nextDouble(Math.log(0.5), 10)),
                Math.exp(rnd.nextDouble(Math.log(0.5), 14)));
            ValuePosterior value = new ValuePosterior(2 + Math.exp(rnd.nextDouble(-5, 10)),
                Math.exp(rnd.nextDouble(0, 25)));
            double level = rnd.nextDouble(0.8, 0.99);
            VpcEstimate e = Vpc.estimate(cvr, value, level);
            assertThat(e.interval().contains(e.mean())).as("%s", e).isTrue();
        }
    }

    @Test
    void intervalHoldsItsLevelBySimulation() {
        // The posterior probability of [lo, hi] is the level up to the log-normal approximation: 20,000 draws,
        // binomial standard error of a 0.9 frequency 0.0021; within 3 of them.
        SplittableRandom rnd = new SplittableRandom(77L);
        UniformRandomProvider rng = rnd::nextLong;
        ContinuousDistribution.Sampler p = GammaDistribution.of(CVR.shape(), 1 / CVR.rate())
            .createSampler(rng);
        ContinuousDistribution.Sampler theta = GammaDistribution.of(VALUE.shape(),
            1 / VALUE.rate()).createSampler(rng);
        VpcEstimate e = Vpc.estimate(CVR, VALUE, 0.9);
        int inside = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            if (e.interval().contains(p.sample() / theta.sample())) {
                inside++;
            }
        }
        assertThat((double) inside / draws).isBetween(0.9 - 3 * 0.0021, 0.9 + 3 * 0.0021);
    }

    @Test
    void meanIsNullWhenTheValueMeanDoesNotExist() {
        VpcEstimate e = Vpc.estimate(CVR, new ValuePosterior(0.8, 1e8), 0.9);
        assertThat(e.mean()).isNull();
        assertThat(e.valueMean()).isNull();
        assertThat(e.lo()).isPositive();
        assertThat(e.hi()).isGreaterThan(e.lo());
    }

    @Test
    void faultyArguments() {
        assertThatThrownBy(() -> Vpc.estimate(null, VALUE))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Vpc.estimate(CVR, VALUE, 0))
            .isExactlyInstanceOf(IllegalArgumentException.class)
            .hasMessage("credible level (0.0) is not in (0.0, 1.0)");
    }
}
