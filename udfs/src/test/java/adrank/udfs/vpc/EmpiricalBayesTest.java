package adrank.udfs.vpc;

import static adrank.udfs.vpc.RatePosteriorTest.REL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.junit.jupiter.api.Test;

class EmpiricalBayesTest {

    @Test
    void momentsOfAKnownGammaGiveItBack() {
        // Gamma(2, rate 100): mean 2/100, variance 2/100² = 0.0002.
        EmpiricalBayesPrior p = EmpiricalBayes.gammaPrior(0.02, 0.0002, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.meanClamped()).isFalse();
        assertThat(p.prior().shape()).isCloseTo(2, REL);
        assertThat(p.prior().rate()).isCloseTo(100, REL);
    }

    @Test
    void fromCountsWithPoissonNoiseRemoved() {
        // known_answers (exact fractions): rates 0, 0.4 on 10 clicks each: mean 0.2, sample
        // variance 0.08, h = 0.1, between-key variance 0.08 − 0.2·0.1 = 0.06,
        // rate 0.2/0.06 = 10/3, shape 0.2·10/3 = 2/3.
        EmpiricalBayesPrior p = EmpiricalBayes.gammaPrior(moments(new long[][] {{0, 10}, {4, 10}}),
            PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.prior().rate()).isCloseTo(10.0 / 3, REL);
        assertThat(p.prior().shape()).isCloseTo(2.0 / 3, REL);
        // six keys: mean 0.0522…, variance 0.0044518…, h 0.0062222…, v 0.0041269…,
        // rate 12.654062462606198, shape 0.6608232619361015
        RateMoments m = moments(new long[][] {
            {0, 200}, {2, 100}, {30, 300}, {1, 150}, {20, 120}, {5, 250}});
        assertThat(m.mean()).isCloseTo(0.052222222222222225, REL);
        assertThat(m.variance()).isCloseTo(0.004451851851851852, REL);
        assertThat(m.meanInverseClicks()).isCloseTo(0.006222222222222222, REL);
        EmpiricalBayesPrior six = EmpiricalBayes.gammaPrior(m, PriorGuard.DEFAULT);
        assertThat(six.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(six.prior().rate()).isCloseTo(12.654062462606198, REL);
        assertThat(six.prior().shape()).isCloseTo(0.6608232619361015, REL);
    }

    @Test
    void keysWithMoreConversionsThanClicksHaveARate() {
        // known_answers: rates 0/4, 6/2 (lagged and view-through conversions), 1/4: mean 13/12,
        // variance 2.7708…, h 1/3, v 2.4097…: rate 0.4496 < 2, so the weakest prior, rate 2,
        // shape 2·13/12.
        RateMoments m = moments(new long[][] {{0, 4}, {6, 2}, {1, 4}});
        assertThat(m.keys()).isEqualTo(3);
        assertThat(m.mean()).isCloseTo(13.0 / 12, REL);
        assertThat(m.variance()).isCloseTo(2.7708333333333335, REL);
        EmpiricalBayesPrior p = EmpiricalBayes.gammaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(p.prior().rate()).isEqualTo(2.0);
        assertThat(p.prior().shape()).isCloseTo(13.0 / 6, REL);
    }

    @Test
    void homogeneousSegmentGetsTheStrongestAllowedPrior() {
        // known_answers: the observed variance is below the Poisson noise (between-key variance
        // −0.000187…), so no spread is detectable: strength = maxStrength = 1000.
        RateMoments m = moments(new long[][] {
            {1, 50}, {3, 80}, {0, 20}, {6, 120}, {2, 40}, {10, 150}});
        EmpiricalBayesPrior p = EmpiricalBayes.gammaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(p.prior().strength()).isCloseTo(1000, REL);
        assertThat(p.prior().mean()).isCloseTo(0.03736111111111111, REL);
    }

    @Test
    void guards() {
        PriorGuard guard = new PriorGuard(2, 1000);
        // rate m/v = 0.02/0.1 = 0.2 < 2: raised to 2, mean kept: shape 0.04 → floored at ½.
        EmpiricalBayesPrior weak = EmpiricalBayes.gammaPrior(0.02, 0.1, guard);
        assertThat(weak.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(weak.prior()).isEqualTo(new RatePosterior(0.5, 2));
        assertThat(weak.meanClamped()).isTrue();
        // rate 0.02/1e-7 = 200_000 > 1000: capped, mean kept (shape 20).
        EmpiricalBayesPrior strong = EmpiricalBayes.gammaPrior(0.02, 1e-7, guard);
        assertThat(strong.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(strong.prior().strength()).isEqualTo(1000.0);
        assertThat(strong.prior().mean()).isCloseTo(0.02, REL);
        // A segment without conversions: shape floored at ½.
        EmpiricalBayesPrior none = EmpiricalBayes.gammaPrior(0, 0, guard);
        assertThat(none.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(none.meanClamped()).isTrue();
        assertThat(none.prior()).isEqualTo(new RatePosterior(0.5, 1000));
        // A rate above one conversion per click is a valid mean.
        EmpiricalBayesPrior high = EmpiricalBayes.gammaPrior(1.5, 0.15, guard);
        assertThat(high.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(high.prior().rate()).isCloseTo(10, REL);
        assertThat(high.prior().shape()).isCloseTo(15, REL);
    }

    @Test
    void recoversTheGammaOfASimulatedSegment() {
        // 4000 keys with λ ~ Gamma(4, rate 200) (mean 0.02, strength 200 clicks), 20–400 clicks each,
        // conversions Poisson(λ · clicks).
        SplittableRandom rnd = new SplittableRandom(2024L);
        UniformRandomProvider rng = rnd::nextLong;
        ContinuousDistribution.Sampler truth = GammaDistribution.of(4, 1.0 / 200).createSampler(rng);
        RateMoments m = RateMoments.EMPTY;
        for (int key = 0; key < 4000; key++) {
            double lambda = truth.sample();
            long clicks = rnd.nextLong(20, 401);
            long conv = PoissonSampler.of(rng, lambda * clicks).sample();
            m = m.add(conv, clicks);
        }
        EmpiricalBayesPrior p = EmpiricalBayes.gammaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.prior().mean()).isCloseTo(0.02, withinPercentage(5));
        assertThat(p.prior().strength()).isCloseTo(200, withinPercentage(25));
        // Without removing the Poisson noise the prior would be several times too weak.
        double naive = m.mean() / m.variance();
        assertThat(naive).isLessThan(100);
    }

    @Test
    void mergeEqualsSequentialAddingInAnyGrouping() {
        SplittableRandom rnd = new SplittableRandom(5L);
        for (int run = 0; run < 200; run++) {
            List<long[]> keys = new ArrayList<>();
            int n = rnd.nextInt(0, 60);
            for (int i = 0; i < n; i++) {
                long clicks = rnd.nextLong(0, 10_000);
                keys.add(new long[] {rnd.nextLong(0, 2 * clicks + 2), clicks});
            }
            RateMoments all = RateMoments.EMPTY;
            for (long[] k : keys) {
                all = all.add(k[0], k[1]);
            }
            // split into random partitions, aggregate each, merge in reverse order
            List<RateMoments> parts = new ArrayList<>();
            RateMoments part = RateMoments.EMPTY;
            for (long[] k : keys) {
                part = part.add(k[0], k[1]);
                if (rnd.nextInt(4) == 0) {
                    parts.add(part);
                    part = RateMoments.EMPTY;
                }
            }
            parts.add(part);
            RateMoments merged = RateMoments.EMPTY;
            for (int i = parts.size() - 1; i >= 0; i--) {
                merged = parts.get(i).merge(merged);
            }
            assertThat(merged.keys()).isEqualTo(all.keys());
            assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-12));
            assertThat(merged.sumSquares()).isCloseTo(all.sumSquares(), within(1e-9));
            assertThat(merged.sumInverseClicks()).isCloseTo(all.sumInverseClicks(), within(1e-12));
        }
    }

    @Test
    void faultyInput() {
        assertThatThrownBy(() -> RateMoments.EMPTY.add(-1L, 10L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("conversions (-1) is negative");
        assertThatThrownBy(() -> EmpiricalBayes.gammaPrior(
            RateMoments.EMPTY.add(1L, 10L).add(0L, 0L), PriorGuard.DEFAULT))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("segment has 1 key(s) with clicks; the method of moments needs at least 2");
        assertThatThrownBy(() -> EmpiricalBayes.gammaPrior(-0.5, 0.1, PriorGuard.DEFAULT))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("mean rate (-0.5) is not a finite number >= 0");
        assertThatThrownBy(() -> EmpiricalBayes.gammaPrior(0.1, Double.NaN, PriorGuard.DEFAULT))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("variance (NaN) is not a finite number >= 0");
        assertThatThrownBy(() -> new PriorGuard(0.5, 10))
            .isExactlyInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PriorGuard(10, 5))
            .isExactlyInstanceOf(IllegalArgumentException.class);
    }

    private static RateMoments moments(long[][] keys) {
        RateMoments m = RateMoments.EMPTY;
        for (long[] k : keys) {
            m = m.add(k[0], k[1]);
        }
        return m;
    }

    /**
     * Value prior from the log-moments of the keys' mean values (known_answers.py, vpc_priors, mpmath):
     * 4 keys, s² = 0.5: shape ψ₁⁻¹(0.5 · 5/4) = 2.0508621456107273, rate exp(ln 2e7 + ψ(shape)) = 31525830.22495;
     * 10 keys, s² = 0.04: shape ψ₁⁻¹(0.044) = 23.223607359967775, rate exp(ln 5e6 + ψ(shape)) = 113627202.2108.
     */
    @Test
    void valuePriorMatchesTheLogMomentsOfTheKeysMeanValues() {
        ValuePosterior four = EmpiricalBayes.valuePrior(4, Math.log(20_000_000), 0.5);
        assertThat(four.shape()).isCloseTo(2.0508621456107273, REL);
        assertThat(four.rate()).isCloseTo(31525830.22495239639, REL);
        ValuePosterior ten = EmpiricalBayes.valuePrior(10, Math.log(5_000_000), 0.04);
        assertThat(ten.shape()).isCloseTo(23.223607359967774846, REL);
        assertThat(ten.rate()).isCloseTo(113627202.21076559572, REL);
        // keys that spread more than the weakest prior can say: shape 1.5, the mean still exists
        ValuePosterior wide = EmpiricalBayes.valuePrior(3, Math.log(1_000_000), 5);
        assertThat(wide.shape()).isEqualTo(1.5);
        assertThat(wide.mean()).isNotNull();
        // keys all alike: the strongest prior
        assertThat(EmpiricalBayes.valuePrior(3, Math.log(1_000_000), 0).shape()).isEqualTo(1e4);
        assertThatThrownBy(() -> EmpiricalBayes.valuePrior(2, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmpiricalBayes.valuePrior(3, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The guards of the moments apply to a maximum-likelihood fit too. */
    @Test
    void guardsOfAMaximumLikelihoodFit() {
        PriorGuard guard = new PriorGuard(2, 1000);
        EmpiricalBayesPrior fitted = EmpiricalBayes.gammaPrior(new GammaMixtureFit.Fit(2.5, 50, -10, false), guard);
        assertThat(fitted.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(fitted.prior()).isEqualTo(new RatePosterior(2.5, 50));
        EmpiricalBayesPrior degenerate = EmpiricalBayes.gammaPrior(new GammaMixtureFit.Fit(1e5, 1e6, -10, true), guard);
        assertThat(degenerate.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(degenerate.prior().strength()).isEqualTo(1000.0);
        assertThat(degenerate.prior().mean()).isCloseTo(0.1, REL);
        EmpiricalBayesPrior strong = EmpiricalBayes.gammaPrior(new GammaMixtureFit.Fit(40, 2000, -10, false), guard);
        assertThat(strong.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        EmpiricalBayesPrior weak = EmpiricalBayes.gammaPrior(new GammaMixtureFit.Fit(1.5, 1.5, -10, false), guard);
        assertThat(weak.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(weak.prior()).isEqualTo(new RatePosterior(2, 2)); // strength raised to 2, mean 1 kept
    }
}
