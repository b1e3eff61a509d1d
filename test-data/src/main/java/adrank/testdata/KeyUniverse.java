package adrank.testdata;

import adrank.testdata.Dimensions.Combination;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ChengBetaSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.GuideTableDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.LogNormalSampler;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * The impression keys of a data set and their true parameters.
 *
 * <p>Key {@code i} has traffic share {@code (i+1)^-s / H(N, s)} (Zipf's law by index, so key 0 is
 * the heaviest). Its ad, audience combination, CTR, CVR, price and conversion value are drawn from
 * its own stream {@code (seed, KEY, i)} and from its ad's stream {@code (seed, AD, ad)}: they do
 * not depend on the number of keys, so a larger universe extends a smaller one. The only coupling
 * between keys is deduplication: a key redraws its audience combination while an earlier key of
 * the same ad already holds it.
 *
 * <p>An ad's billing comes from one uniform draw of its stream: below {@code CPC_SHARE} CPC, below
 * {@code CPC_SHARE + cpaShare} CPA, else CPM, so CPC ads do not change with the CPA share and CPA
 * ads are taken from the CPM ones. The view-through share only splits a key's conversions between
 * clicks and impressions; its drawn {@code cvr} stays all conversions per click.
 *
 * <p>Ad {@code a} is introduced around key {@code a * KEYS_PER_AD}; each key picks its ad uniformly
 * among {@code AD_WINDOW} consecutive ads, so every ad has about {@code KEYS_PER_AD} keys and the
 * heaviest keys spread over several ads instead of piling onto ad 0.
 */
final class KeyUniverse {

    static final int KEYS_PER_AD = 20;
    static final int AD_WINDOW = 10;
    static final int ADS_PER_CAMPAIGN = 3;
    static final int CAMPAIGNS_PER_ADVERTISER = 4;

    // Ad level: an ad's creative sets the CTR and CVR level, its bid the price level and its
    // product the conversion value; keys of the ad scatter around these.
    /** Ad CTR ~ Beta(4, 196): mean 2 %, most ads between 1 % and 3.5 %. */
    private static final double AD_CTR_ALPHA = 4;
    private static final double AD_CTR_BETA = 196;
    /** Ad CVR ~ Beta(3, 57): mean 5 %, most ads between 2 % and 10 %. */
    private static final double AD_CVR_ALPHA = 3;
    private static final double AD_CVR_BETA = 57;
    /** Ad price per impression, log-normal with median 1,500 micros ($1.50 CPM) before geo/device. */
    private static final double AD_PRICE_MEDIAN_MICROS = 1_500;
    private static final double AD_PRICE_SIGMA = 0.5;
    /** Ad value per conversion, log-normal with median $20. */
    private static final double AD_VALUE_MEDIAN_MICROS = 20_000_000;
    private static final double AD_VALUE_SIGMA = 0.8;

    // Key level: Beta with the ad's mean and this concentration (larger = closer to the ad).
    private static final double KEY_CTR_CONCENTRATION = 400;
    private static final double KEY_CVR_CONCENTRATION = 200;
    /** Spread of a key's price and value around its ad's, as a mean-one log-normal factor. */
    private static final double KEY_PRICE_SIGMA = 0.25;
    private static final double KEY_VALUE_SIGMA = 0.2;

    private static final List<Combination> COMBINATIONS = Dimensions.COMBINATIONS;

    private final int keys;
    private final double zipfExponent;
    private final double zipfNormaliser;
    private final int[] adOf;
    private final int[] combinationOf;
    /**
     * Per key {@code i}, the thresholds of the one uniform draw that decides an impression's fate:
     * {@code [2i]} = CTR (below: clicked), {@code [2i+1]} = CTR + view-through conversions per
     * impression (below, not clicked: a view-through conversion). Interleaved so that the
     * impression loop touches one cache line.
     */
    private final double[] thresholds;
    /** True conversions (click-through and view-through) per click. */
    private final double[] cvr;
    private final double[] pricePerImpression;
    /**
     * How an ad is billed ({@link Billing}). Either way the expected revenue per impression is the
     * key's price per impression: price per click = price per impression / CTR, price per
     * conversion = price per impression / (CTR * CVR). A thin CPC or CPA key's raw CPM is therefore
     * mostly 0 or very high, as in production, which is what the rank's shrinkage is for.
     */
    private Billing[] billingOfAd;
    private final double[] valuePerConversion;
    private final double viewThroughShare;
    private final double cpaShare;
    /** "ad000123\tcmp00041\tadv0007\t" per ad, ready to copy into event lines. */
    private final byte[][] adColumns;

    private KeyUniverse(GeneratorSettings settings) {
        keys = settings.keys();
        zipfExponent = settings.zipfExponent();
        zipfNormaliser = generalisedHarmonic(keys, zipfExponent);
        adOf = new int[keys];
        combinationOf = new int[keys];
        thresholds = new double[2 * keys];
        cvr = new double[keys];
        viewThroughShare = settings.viewThroughShare();
        cpaShare = settings.cpaShare();
        pricePerImpression = new double[keys];
        valuePerConversion = new double[keys];
        adColumns = new byte[(keys - 1) / KEYS_PER_AD + AD_WINDOW][];
    }

    static KeyUniverse build(GeneratorSettings settings) {
        KeyUniverse universe = new KeyUniverse(settings);
        universe.drawKeys(settings.seed());
        return universe;
    }

    private void drawKeys(long seed) {
        int ads = adColumns.length;
        double[] adCtr = new double[ads];
        double[] adCvr = new double[ads];
        double[] adPrice = new double[ads];
        double[] adValue = new double[ads];
        billingOfAd = new Billing[ads];
        for (int a = 0; a < ads; a++) {
            UniformRandomProvider rng = Seeds.stream(seed, Seeds.AD, a);
            NormalizedGaussianSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
            adCtr[a] = ChengBetaSampler.of(rng, AD_CTR_ALPHA, AD_CTR_BETA).sample();
            adCvr[a] = ChengBetaSampler.of(rng, AD_CVR_ALPHA, AD_CVR_BETA).sample();
            adPrice[a] = LogNormalSampler.of(gaussian, Math.log(AD_PRICE_MEDIAN_MICROS), AD_PRICE_SIGMA).sample();
            adValue[a] = LogNormalSampler.of(gaussian, Math.log(AD_VALUE_MEDIAN_MICROS), AD_VALUE_SIGMA).sample();
            adColumns[a] = adColumns(a);
            // One draw decides the billing: CPC ads stay CPC whatever the CPA share, and CPA ads are
            // taken from what would otherwise be CPM ads.
            double billing = rng.nextDouble();
            billingOfAd[a] = billing < GeneratorSettings.CPC_SHARE ? Billing.CPC
                    : billing < GeneratorSettings.CPC_SHARE + cpaShare ? Billing.CPA : Billing.CPM;
        }

        int combinationCount = COMBINATIONS.size();
        SharedStateDiscreteSampler combinationTemplate =
                GuideTableDiscreteSampler.of(Seeds.stream(seed), Dimensions.combinationProbabilities());
        BitSet taken = new BitSet(ads * combinationCount);
        for (int i = 0; i < keys; i++) {
            UniformRandomProvider rng = Seeds.stream(seed, Seeds.KEY, i);
            NormalizedGaussianSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
            int ad = i / KEYS_PER_AD + rng.nextInt(AD_WINDOW);
            double keyCtr = betaAround(rng, adCtr[ad], KEY_CTR_CONCENTRATION);
            cvr[i] = betaAround(rng, adCvr[ad], KEY_CVR_CONCENTRATION);
            thresholds[2 * i] = keyCtr;
            thresholds[2 * i + 1] = keyCtr + viewThroughShare * keyCtr * cvr[i];
            double priceFactor = meanOneLogNormal(gaussian, KEY_PRICE_SIGMA).sample();
            double valueFactor = meanOneLogNormal(gaussian, KEY_VALUE_SIGMA).sample();

            // An ad has ~KEYS_PER_AD keys and there are hundreds of combinations, so redraws are rare.
            SharedStateDiscreteSampler combinations = combinationTemplate.withUniformRandomProvider(rng);
            int combination;
            do {
                combination = combinations.sample();
            } while (taken.get(ad * combinationCount + combination));
            taken.set(ad * combinationCount + combination);

            Combination c = COMBINATIONS.get(combination);
            adOf[i] = ad;
            combinationOf[i] = combination;
            pricePerImpression[i] = adPrice[ad] * c.geo().priceMultiplier() * c.device().priceMultiplier() * priceFactor;
            valuePerConversion[i] = adValue[ad] * valueFactor;
        }
    }

    /** How an ad is charged, i.e. which event lines carry its revenue. */
    enum Billing {
        /** Per impression: revenue on {@code imp} lines. */
        CPM,
        /** Per click: revenue on {@code click} lines. */
        CPC,
        /** Per conversion (action): revenue on {@code conv} lines. */
        CPA;

        /** The value of the {@code billing} truth column. */
        String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Log-normal factor with mean exactly 1 (median e^(-sigma^2/2)), to spread a value without biasing it. */
    static ContinuousSampler meanOneLogNormal(NormalizedGaussianSampler gaussian, double sigma) {
        return LogNormalSampler.of(gaussian, -sigma * sigma / 2, sigma);
    }

    private static double betaAround(UniformRandomProvider rng, double mean, double concentration) {
        return ChengBetaSampler.of(rng, concentration * mean, concentration * (1 - mean)).sample();
    }

    private static double generalisedHarmonic(int n, double exponent) {
        double sum = 0;
        // Smallest terms first, so they are not lost against the large ones.
        for (int k = n; k >= 1; k--) {
            sum += Math.pow(k, -exponent);
        }
        return sum;
    }

    private static byte[] adColumns(int ad) {
        int campaign = ad / ADS_PER_CAMPAIGN;
        int advertiser = campaign / CAMPAIGNS_PER_ADVERTISER;
        String columns = adId(ad) + '\t' + padded("cmp", campaign, 5) + '\t' + padded("adv", advertiser, 4) + '\t';
        return columns.getBytes(StandardCharsets.US_ASCII);
    }

    static String adId(int ad) {
        return padded("ad", ad, 6);
    }

    private static String padded(String prefix, int number, int width) {
        String digits = Integer.toString(number);
        return prefix + "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    int size() {
        return keys;
    }

    double zipfExponent() {
        return zipfExponent;
    }

    /** Probability that an impression belongs to key {@code i}. */
    double trafficShare(int i) {
        return Math.pow(i + 1, -zipfExponent) / zipfNormaliser;
    }

    Combination combination(int i) {
        return COMBINATIONS.get(combinationOf[i]);
    }

    byte[] adColumnsOf(int i) {
        return adColumns[adOf[i]];
    }

    int combinationIndex(int i) {
        return combinationOf[i];
    }

    /** True clicks per impression. */
    double ctr(int i) {
        return thresholds[2 * i];
    }

    /** An impression with uniform draw {@code u} is not clicked but converts (view-through) if {@code ctr <= u <} this. */
    double viewThroughThreshold(int i) {
        return thresholds[2 * i + 1];
    }

    /** True conversions (click-through and view-through) per click. */
    double cvr(int i) {
        return cvr[i];
    }

    /** Probability that a click converts: {@code (1 - viewThroughShare) * cvr}. */
    double clickConversionRate(int i) {
        return (1 - viewThroughShare) * cvr[i];
    }

    /** Conversions per impression, {@code ctr * cvr}: the weight of a key's late conversions. */
    double conversionsPerImpression(int i) {
        return ctr(i) * cvr[i];
    }

    double viewThroughShare() {
        return viewThroughShare;
    }

    Billing billing(int i) {
        return billingOfAd[adOf[i]];
    }

    /** Mean revenue of one click in micros for a CPC-billed key: price per impression / CTR. */
    double pricePerClick(int i) {
        return pricePerImpression[i] / ctr(i);
    }

    /** Mean revenue of one conversion in micros for a CPA-billed key: price per impression / (CTR * CVR). */
    double pricePerConversion(int i) {
        return pricePerImpression[i] / conversionsPerImpression(i);
    }

    /** Mean revenue per impression in micros, over all events of the key (whatever its billing). */
    double pricePerImpression(int i) {
        return pricePerImpression[i];
    }

    double valuePerConversion(int i) {
        return valuePerConversion[i];
    }

    /** Writes {@code keys.tsv}: one row per key in index order, i.e. heaviest first. */
    void writeTruth(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join("\t", RawEventLayout.TRUTH_COLUMNS));
            out.write('\n');
            StringBuilder row = new StringBuilder(160);
            for (int i = 0; i < keys; i++) {
                Combination c = combination(i);
                row.setLength(0);
                row.append(adId(adOf[i])).append('\t')
                        .append(c.geo().code()).append('\t')
                        .append(c.device().name()).append('\t')
                        .append(c.os()).append('\t')
                        .append(c.browser()).append('\t')
                        .append(c.connection()).append('\t')
                        .append(trafficShare(i)).append('\t')
                        .append(ctr(i)).append('\t')
                        .append(cvr[i]).append('\t')
                        .append(pricePerImpression[i] * 1000).append('\t')
                        .append(valuePerConversion[i]).append('\t')
                        .append(billing(i).code()).append('\n');
                out.append(row);
            }
        }
    }
}
