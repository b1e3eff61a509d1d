package adrank.testdata;

import static adrank.testdata.LagMath.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class LagDistributionTest {

    private static final Duration CONVERSION_MEDIAN = Duration.ofHours(3);
    private static final Duration CLICK_MEDIAN = Duration.ofSeconds(40);
    private static final LagDistribution CONVERSION = LagDistribution.logNormal(
            CONVERSION_MEDIAN, GeneratorSettings.CONVERSION_LAG_SIGMA, GeneratorSettings.CONVERSION_LAG_MAX);
    private static final LagDistribution CLICK = LagDistribution.logNormal(
            CLICK_MEDIAN, GeneratorSettings.CLICK_LAG_SIGMA, GeneratorSettings.CLICK_LAG_MAX);
    private static final DoubleUnaryOperator CONVERSION_CDF = LagMath.truncatedCdf(
            CONVERSION_MEDIAN, GeneratorSettings.CONVERSION_LAG_SIGMA, GeneratorSettings.CONVERSION_LAG_MAX);
    private static final DoubleUnaryOperator CLICK_CDF = LagMath.truncatedCdf(
            CLICK_MEDIAN, GeneratorSettings.CLICK_LAG_SIGMA, GeneratorSettings.CLICK_LAG_MAX);
    private static final int SAMPLES = 200_000;

    @Test
    void conversionLagsFollowTheTruncatedLogNormal() {
        double[] lags = sample(CONVERSION, 1);

        double[] points = {60, 600, HOUR, 3 * HOUR, 24 * HOUR, 5 * 24 * HOUR, 10 * 24 * HOUR};
        for (double x : points) {
            double p = CONVERSION_CDF.applyAsDouble(x);
            assertThat(shareAtMost(lags, x)).as("P(lag <= %s s)", x)
                    .isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / SAMPLES) + 1e-9));
            assertThat(CONVERSION.cdf(x)).isCloseTo(p, within(1e-12));
        }
        // Median 3 h, sigma 1.5: a conversion takes longer than a day 8 % of the time, than ten days never.
        assertThat(1 - CONVERSION_CDF.applyAsDouble(24 * HOUR)).isBetween(0.07, 0.09);
        assertThat(Arrays.stream(lags).min().orElseThrow()).isPositive();
        assertThat(Arrays.stream(lags).max().orElseThrow()).isLessThanOrEqualTo(10 * 24 * HOUR);
    }

    @Test
    void clickLagsAreMostlyUnderAMinuteWithATailOfTensOfMinutes() {
        double[] lags = sample(CLICK, 2);

        assertThat(shareAtMost(lags, 60)).isBetween(0.59, 0.62);
        assertThat(1 - shareAtMost(lags, 600)).isBetween(0.03, 0.04);
        assertThat(1 - shareAtMost(lags, 1800)).isBetween(0.004, 0.007);
        for (double x : new double[] {10, 40, 60, 600, HOUR}) {
            double p = CLICK_CDF.applyAsDouble(x);
            assertThat(shareAtMost(lags, x)).isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / SAMPLES)));
        }
    }

    @Test
    void hourSharesAreTheChanceThatAnEventAtAUniformMomentOfAnHourIsFollowedLHoursLater() {
        double[] shares = CONVERSION.hourShares();

        assertThat(shares).hasSize(241);
        assertThat(Arrays.stream(shares).sum()).isCloseTo(1, within(1e-9));
        for (int l = 0; l < shares.length; l += l < 30 ? 1 : 10) {
            assertThat(shares[l]).as("l = %d", l).isCloseTo(LagMath.landsHoursLater(CONVERSION_CDF, l), within(1e-7));
        }
        // Median 3 h: 11 % of conversions land in the hour of their click.
        assertThat(shares[0]).isBetween(0.10, 0.13);

        double[] clickShares = CLICK.hourShares();
        assertThat(clickShares).hasSize(25);
        assertThat(clickShares[0]).isCloseTo(LagMath.landsHoursLater(CLICK_CDF, 0), within(1e-7)).isBetween(0.96, 0.97);
        assertThat(clickShares[1]).isCloseTo(LagMath.landsHoursLater(CLICK_CDF, 1), within(1e-7));
    }

    @Test
    void hourSharesMatchASimulationOfEventsAtRandomMoments() {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(3L);
        NormalizedGaussianSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        long[] landed = new long[241];
        for (int i = 0; i < SAMPLES; i++) {
            landed[(int) ((rng.nextDouble() * HOUR + CONVERSION.sample(gaussian)) / HOUR)]++;
        }

        double[] shares = CONVERSION.hourShares();
        for (int l = 0; l < 48; l++) {
            double p = shares[l];
            assertThat((double) landed[l] / SAMPLES).as("l = %d", l)
                    .isCloseTo(p, within(4.5 * Math.sqrt(p * (1 - p) / SAMPLES)));
        }
    }

    private static double[] sample(LagDistribution lag, long seed) {
        NormalizedGaussianSampler gaussian =
                ZigguratSampler.NormalizedGaussian.of(RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
        double[] lags = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            lags[i] = lag.sample(gaussian);
        }
        return lags;
    }

    private static double shareAtMost(double[] lags, double x) {
        return (double) Arrays.stream(lags).filter(lag -> lag <= x).count() / lags.length;
    }
}
