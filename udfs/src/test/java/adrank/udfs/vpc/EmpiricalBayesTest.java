package adrank.udfs.vpc;

import static adrank.udfs.vpc.BetaPosteriorTest.REL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.statistics.distribution.BetaDistribution;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.junit.jupiter.api.Test;

class EmpiricalBayesTest {

    @Test
    void momentsOfAKnownBetaGiveItBack() {
        // Beta(2, 98): mean 2/100, variance αβ / ((α+β)²(α+β+1)) = 196 / (10_000 × 101).
        EmpiricalBayesPrior p = EmpiricalBayes.betaPrior(0.02, 196.0 / 1_010_000,
            PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.meanClamped()).isFalse();
        assertThat(p.prior().alpha()).isCloseTo(2, REL);
        assertThat(p.prior().beta()).isCloseTo(98, REL);
    }

    @Test
    void fromCountsWithBinomialNoiseRemoved() {
        // known_answers.py (exact Fractions): mean 0.05222…, sample variance 0.0044518…,
        // h = mean(1/clicks) = 0.0062222…, between-key variance 0.0041698…, strength 10.8698…
        RateMoments m = moments(new long[][] {
            {0, 200}, {2, 100}, {30, 300}, {1, 150}, {20, 120}, {5, 250}});
        assertThat(m.keys()).isEqualTo(6);
        assertThat(m.mean()).isCloseTo(0.052222222222222225, REL);
        assertThat(m.variance()).isCloseTo(0.004451851851851852, REL);
        assertThat(m.meanInverseClicks()).isCloseTo(0.006222222222222222, REL);
        EmpiricalBayesPrior p = EmpiricalBayes.betaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.prior().alpha()).isCloseTo(0.5676455524503636, REL);
        assertThat(p.prior().beta()).isCloseTo(10.302162898726813, REL);
    }

    @Test
    void homogeneousSegmentGetsTheStrongestAllowedPrior() {
        // known_answers.py: the observed variance is below the binomial noise (between-key
        // variance −0.000162…), so no spread is detectable: strength = maxStrength = 1000.
        RateMoments m = moments(new long[][] {
            {1, 50}, {3, 80}, {0, 20}, {6, 120}, {2, 40}, {10, 150}});
        EmpiricalBayesPrior p = EmpiricalBayes.betaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(p.prior().strength()).isCloseTo(1000, REL);
        assertThat(p.prior().mean()).isCloseTo(0.03736111111111111, REL);
    }

    @Test
    void guards() {
        PriorGuard guard = new PriorGuard(2, 1000);
        // Variance m(1 − m) is a two-point distribution, no Beta: weakest prior, Beta(1, 1).
        EmpiricalBayesPrior tooLarge = EmpiricalBayes.betaPrior(0.5, 0.25, guard);
        assertThat(tooLarge.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(tooLarge.prior()).isEqualTo(new BetaPosterior(1, 1));
        // Strength m(1−m)/v − 1 = 0.0196/0.01 − 1 = 0.96 < 2: raised to 2.
        EmpiricalBayesPrior weak = EmpiricalBayes.betaPrior(0.02, 0.01, guard);
        assertThat(weak.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(weak.prior().strength()).isCloseTo(2, REL);
        // Strength 0.0196/1e-7 − 1 = 195_999 > 1000: capped.
        EmpiricalBayesPrior strong = EmpiricalBayes.betaPrior(0.02, 1e-7, guard);
        assertThat(strong.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(strong.prior().strength()).isCloseTo(1000, REL);
        assertThat(strong.prior().mean()).isCloseTo(0.02, REL);
        // A segment without conversions: mean 0 is no Beta; α floored at ½.
        EmpiricalBayesPrior none = EmpiricalBayes.betaPrior(0, 0, guard);
        assertThat(none.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(none.meanClamped()).isTrue();
        assertThat(none.prior()).isEqualTo(new BetaPosterior(0.5, 999.5));
        // Every key has exactly one click: spread and noise cannot be separated.
        RateMoments oneClick = moments(new long[][] {{0, 1}, {1, 1}, {0, 1}, {0, 1}});
        EmpiricalBayesPrior unidentified = EmpiricalBayes.betaPrior(oneClick, guard);
        assertThat(unidentified.guard()).isEqualTo(EmpiricalBayesPrior.Guard.VARIANCE_TOO_LARGE);
        assertThat(unidentified.prior()).isEqualTo(new BetaPosterior(0.5, 1.5));
    }

    @Test
    void recoversTheBetaOfASimulatedSegment() {
        // 4000 keys with p ~ Beta(4, 196) (mean 0.02, strength 200) and 20–400 clicks each.
        SplittableRandom rnd = new SplittableRandom(2024L);
        UniformRandomProvider rng = rnd::nextLong;
        ContinuousDistribution.Sampler truth = BetaDistribution.of(4, 196).createSampler(rng);
        RateMoments m = RateMoments.EMPTY;
        for (int key = 0; key < 4000; key++) {
            double p = truth.sample();
            long clicks = rnd.nextLong(20, 401);
            long conv = 0;
            for (long c = 0; c < clicks; c++) {
                if (rnd.nextDouble() < p) {
                    conv++;
                }
            }
            m = m.add(conv, clicks);
        }
        EmpiricalBayesPrior p = EmpiricalBayes.betaPrior(m, PriorGuard.DEFAULT);
        assertThat(p.guard()).isEqualTo(EmpiricalBayesPrior.Guard.NONE);
        assertThat(p.prior().mean()).isCloseTo(0.02, withinPercentage(5));
        assertThat(p.prior().strength()).isCloseTo(200, withinPercentage(25));
        // Without removing the binomial noise the prior would be several times too weak.
        double naive = m.mean() * (1 - m.mean()) / m.variance() - 1;
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
                keys.add(new long[] {rnd.nextLong(0, clicks + 1), clicks});
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
            assertThat(merged.mean()).isCloseTo(all.mean(), within(1e-14));
            assertThat(merged.sumSquares()).isCloseTo(all.sumSquares(), within(1e-12));
            assertThat(merged.sumInverseClicks()).isCloseTo(all.sumInverseClicks(), within(1e-12));
        }
    }

    @Test
    void faultyInput() {
        assertThatThrownBy(() -> RateMoments.EMPTY.add(12L, 10L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("conversions (12) > clicks (10)");
        assertThatThrownBy(() -> EmpiricalBayes.betaPrior(
            RateMoments.EMPTY.add(1L, 10L).add(0L, 0L), PriorGuard.DEFAULT))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("segment has 1 key(s) with clicks; the method of moments needs at least 2");
        assertThatThrownBy(() -> EmpiricalBayes.betaPrior(1.5, 0.1, PriorGuard.DEFAULT))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("mean rate (1.5) is not in [0, 1]");
        assertThatThrownBy(() -> EmpiricalBayes.betaPrior(0.1, Double.NaN, PriorGuard.DEFAULT))
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
}
