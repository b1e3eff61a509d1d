package adrank.udfs.vpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.statistics.distribution.ContinuousDistribution;
import org.apache.commons.statistics.distribution.GammaDistribution;
import org.junit.jupiter.api.Test;

class GammaMixtureFitTest {

    /**
     * A published fit: Bliss &amp; Fisher (1953), "Fitting the negative binomial distribution to biological
     * data", European red mites on 150 apple leaves (0..8 mites: 70, 38, 17, 10, 9, 3, 2, 1, 0 leaves):
     * maximum-likelihood k = 1.025, mean 1.1467. With one unit of exposure per leaf, shape = k and
     * rate = k / mean. scipy (known_answers.py, vpc_priors: Nelder-Mead on the full nbinom log pmf):
     * shape 1.02459247, rate 0.89353994.
     */
    @Test
    void redMitesOnAppleLeavesGiveBlissAndFishersK() {
        long[] mites = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        double[] leaf = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        long[] leaves = {70, 38, 17, 10, 9, 3, 2, 1, 0};
        GammaMixtureFit.Fit fit = GammaMixtureFit.fit(mites, leaf, leaves);
        assertThat(fit.degenerate()).isFalse();
        assertThat(fit.shape()).isCloseTo(1.025, withinPercentage(0.05)); // the published k, 3 decimals
        assertThat(fit.shape()).isCloseTo(1.0245924702, withinPercentage(1e-4));
        assertThat(fit.rate()).isCloseTo(0.8935399393, withinPercentage(1e-4));
        // the ML mean of a negative binomial is the sample mean: 172 / 150
        assertThat(fit.mean()).isCloseTo(172.0 / 150, withinPercentage(1e-6));
    }

    /**
     * Keys of a segment with different clicks (exposures): scipy's fit of the same marginal (known_answers.py,
     * vpc_priors): shape 2.13715016, rate 24.0008630, log-likelihood without the terms free of (a, b)
     * −138.828402223.
     */
    @Test
    void keysWithDifferentClicksMatchScipysNegativeBinomialFit() {
        long[][] data = {{0, 1, 40}, {1, 1, 3}, {0, 2, 10}, {1, 2, 2}, {0, 5, 6}, {1, 5, 3}, {2, 5, 1}, {0, 20, 2},
            {3, 20, 2}, {1, 20, 1}, {8, 40, 1}, {2, 100, 1}, {15, 100, 1}};
        long[] y = new long[data.length];
        double[] n = new double[data.length];
        long[] w = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            y[i] = data[i][0];
            n[i] = data[i][1];
            w[i] = data[i][2];
        }
        GammaMixtureFit.Fit fit = GammaMixtureFit.fit(y, n, w);
        assertThat(fit.degenerate()).isFalse();
        assertThat(fit.shape()).isCloseTo(2.13715016, withinPercentage(1e-4));
        assertThat(fit.rate()).isCloseTo(24.000863, withinPercentage(1e-4));
        assertThat(fit.logLikelihood()).isCloseTo(-138.828402223, withinPercentage(1e-8));
        // the maximum: nudging either parameter lowers the likelihood
        for (double f : new double[] {0.99, 1.01}) {
            assertThat(GammaMixtureFit.logLikelihood(fit.shape() * f, fit.rate(), y, n, w)).isLessThan(fit.logLikelihood());
            assertThat(GammaMixtureFit.logLikelihood(fit.shape(), fit.rate() * f, y, n, w)).isLessThan(fit.logLikelihood());
        }
    }

    /** Keys drawn from a known Gamma(3, rate 60) (mean 5 %) over 20..400 clicks: the fit finds it back. */
    @Test
    void keysDrawnFromAKnownGammaGiveItBack() {
        SplittableRandom rnd = new SplittableRandom(7L);
        UniformRandomProvider rng = rnd::nextLong;
        ContinuousDistribution.Sampler truth = GammaDistribution.of(3, 1.0 / 60).createSampler(rng);
        int keys = 20_000;
        long[] y = new long[keys];
        double[] n = new double[keys];
        long[] w = new long[keys];
        for (int i = 0; i < keys; i++) {
            double rate = truth.sample();
            n[i] = rnd.nextLong(20, 401);
            y[i] = PoissonSampler.of(rng, rate * n[i]).sample();
            w[i] = 1;
        }
        GammaMixtureFit.Fit fit = GammaMixtureFit.fit(y, n, w);
        // standard errors at 20,000 keys are about 2 % of the shape
        assertThat(fit.shape()).isCloseTo(3, withinPercentage(8));
        assertThat(fit.mean()).isCloseTo(0.05, withinPercentage(2));
    }

    /** Every key converts 1 of 10 clicks: no spread beyond Poisson noise (less, in fact), the fit is degenerate. */
    @Test
    void keysAllAlikeGiveADegenerateFit() {
        GammaMixtureFit.Fit fit = GammaMixtureFit.fit(new long[] {1}, new double[] {10}, new long[] {50});
        assertThat(fit.degenerate()).isTrue();
        assertThat(fit.mean()).isCloseTo(0.1, withinPercentage(1e-6));
    }

    @Test
    void noConversionOrFewerThanTwoKeysHaveNoFit() {
        assertThat(GammaMixtureFit.fit(new long[] {0, 0}, new double[] {3, 5}, new long[] {4, 2})).isNull();
        assertThat(GammaMixtureFit.fit(new long[] {3}, new double[] {5}, new long[] {1})).isNull();
        assertThatThrownBy(() -> GammaMixtureFit.fit(new long[] {1}, new double[] {0}, new long[] {2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaMixtureFit.fit(new long[] {-1}, new double[] {1}, new long[] {2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaMixtureFit.fit(new long[] {1}, new double[] {1, 2}, new long[] {2}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
