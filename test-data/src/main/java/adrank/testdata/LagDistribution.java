package adrank.testdata;

import java.time.Duration;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * A delay in seconds, log-normal with a given median and sigma, truncated at a maximum: draws above
 * it are drawn again, so the density below the maximum keeps its shape and is scaled by
 * {@code 1 / F(max)}.
 *
 * <p>Besides sampling, it gives {@link #hourShares()}: for an event that happens at a uniformly
 * distributed moment of an hour, the probability that its follow-up lands {@code l} hours later.
 * That is what the generator needs to draw late arrivals into an hour from the traffic of earlier
 * hours without replaying them.
 */
final class LagDistribution {

    static final double SECONDS_PER_HOUR = 3600;
    private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

    private final double mu;
    private final double sigma;
    private final double max;
    private final double median;
    /** exp(mu + sigma^2 / 2), the untruncated mean. */
    private final double untruncatedMean;
    /** F(max) of the untruncated distribution. */
    private final double massBelowMax;

    private LagDistribution(double medianSeconds, double sigma, double maxSeconds) {
        if (!(medianSeconds > 0 && sigma > 0 && maxSeconds > medianSeconds)) {
            throw new IllegalArgumentException("need 0 < median < max and sigma > 0, got median " + medianSeconds
                    + " s, sigma " + sigma + ", max " + maxSeconds + " s");
        }
        this.median = medianSeconds;
        this.mu = Math.log(medianSeconds);
        this.sigma = sigma;
        this.max = maxSeconds;
        this.untruncatedMean = Math.exp(mu + sigma * sigma / 2);
        this.massBelowMax = STANDARD_NORMAL.cumulativeProbability((Math.log(maxSeconds) - mu) / sigma);
    }

    static LagDistribution logNormal(Duration median, double sigma, Duration max) {
        return new LagDistribution(median.toNanos() / 1e9, sigma, max.toNanos() / 1e9);
    }

    double maxSeconds() {
        return max;
    }

    /** A delay in seconds, at most {@link #maxSeconds()}. */
    double sample(NormalizedGaussianSampler gaussian) {
        double lag;
        do {
            lag = median * Math.exp(sigma * gaussian.sample());
        } while (lag > max);
        return lag;
    }

    /** P(lag <= x) of the truncated distribution. */
    double cdf(double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= max) {
            return 1;
        }
        return STANDARD_NORMAL.cumulativeProbability((Math.log(x) - mu) / sigma) / massBelowMax;
    }

    /**
     * {@code I(x)}, the integral of {@link #cdf} from 0 to x. For the untruncated log-normal
     * {@code I(x) = x F(x) - E[L; L <= x] = x Phi(z) - exp(mu + sigma^2/2) Phi(z - sigma)} with
     * {@code z = (ln x - mu) / sigma}; truncation divides it by F(max) below max and adds
     * {@code x - max} above.
     */
    double integratedCdf(double x) {
        if (x <= 0) {
            return 0;
        }
        double y = Math.min(x, max);
        double z = (Math.log(y) - mu) / sigma;
        double below = (y * STANDARD_NORMAL.cumulativeProbability(z)
                - untruncatedMean * STANDARD_NORMAL.cumulativeProbability(z - sigma)) / massBelowMax;
        return below + (x - y);
    }

    /**
     * {@code P[l]}: the probability that an event at a uniformly distributed moment {@code u} of an
     * hour is followed, after this lag, in the {@code l}-th hour after it ({@code l = 0}: the same
     * hour), for {@code l = 0 .. ceil(max / 1 h)}. Exactly, with h one hour:
     * {@code P[l] = (1/h) * integral over u in [0, h) of F((l+1)h - u) - F(lh - u)
     * = (I((l+1)h) - 2 I(lh) + I((l-1)h)) / h}. The shares sum to 1.
     */
    double[] hourShares() {
        int hours = (int) Math.ceil(max / SECONDS_PER_HOUR);
        double[] shares = new double[hours + 1];
        double h = SECONDS_PER_HOUR;
        for (int l = 0; l <= hours; l++) {
            double share = (integratedCdf((l + 1) * h) - 2 * integratedCdf(l * h) + integratedCdf((l - 1) * h)) / h;
            shares[l] = Math.max(0, share);
        }
        return shares;
    }
}
