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
    void knownAnswerFromMpmath() {
        // known_answers (mpmath): t = (1 − √0.9)/2; lo = gamma_q(a, t)/r · rate/gamma_q(shape, 1 − t),
        // hi = gamma_q(a, 1 − t)/r · rate/gamma_q(shape, t), mean = a/r · rate/(shape − 1).
        VpcEstimate e = Vpc.estimate(CVR, VALUE);
        assertThat(e.level()).isEqualTo(0.9);
        assertThat(e.mean()).isCloseTo(1755793.8578207190858, REL);
        assertThat(e.lo()).isCloseTo(485677.36039005995580, REL);
        assertThat(e.hi()).isCloseTo(5086276.8287255957330, REL);
        assertThat(e.cvrMean()).isEqualTo(CVR.mean());
        assertThat(e.valueMean()).isEqualTo(VALUE.mean());
        assertThat(e.cvr()).isEqualTo(CVR.interval(Math.sqrt(0.9)));
        assertThat(e.value()).isEqualTo(VALUE.interval(Math.sqrt(0.9)));
    }

    @Test
    void meanLiesInsideTheInterval() {
        // Domain: conversion shape ≥ ½, value shape ≥ 1.1, and level ≥ 0.8, i.e.
        // factor level ≥ 0.894: there the value mean stays below its upper bound for shape
        // above 1.068 (SciPy: brentq on gamma.cdf(a − 1, a) = (1 − √0.8)/2). A lower level
        // narrows the factor intervals until a weak value posterior's mean falls outside.
        SplittableRandom rnd = new SplittableRandom(8L);
        for (int i = 0; i < 1000; i++) {
            RatePosterior cvr = new RatePosterior(Math.exp(rnd.nextDouble(Math.log(0.5), 10)),
                Math.exp(rnd.nextDouble(Math.log(0.5), 14)));
            ValuePosterior value = new ValuePosterior(1.1 + Math.exp(rnd.nextDouble(-5, 10)),
                Math.exp(rnd.nextDouble(0, 25)));
            double level = rnd.nextDouble(0.8, 0.99);
            VpcEstimate e = Vpc.estimate(cvr, value, level);
            assertThat(e.interval().contains(e.mean())).as("%s", e).isTrue();
        }
    }

    @Test
    void intervalIsConservativeBySimulation() {
        // The documented meaning: posterior probability of [lo, hi] is at least the level.
        // 20_000 draws: the binomial standard error of a 0.9 frequency is 0.0021.
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
        assertThat((double) inside / draws).isGreaterThan(0.9 - 3 * 0.0021);
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
