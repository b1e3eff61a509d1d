package adrank.testdata;

import java.time.Duration;

/**
 * The expected traffic of every hour of the day, and the expected number of late arrivals into it:
 * clicks, click-through conversions and view-through conversions whose impression or click happened
 * in an earlier hour.
 *
 * <p>Hours are generated independently of each other, so an hour cannot hand its late follow-ups
 * to the next. Instead each hour writes only the follow-ups that land inside it, and receives late
 * arrivals drawn from their expected rate in a steady state (traffic ran the same diurnal curve on
 * every day before the first generated one). Every key shares the diurnal curve, so the expected
 * arrivals of key {@code k} into hour {@code H} factorise as {@code weight_k * C_H}:
 * <ul>
 * <li>clicks: {@code weight_k = share_k * ctr_k},
 *     {@code C_H = sum over l >= 1 of imps(H - l) * Pclick[l]};</li>
 * <li>click-through conversions: {@code weight_k = share_k * ctr_k * (1 - vt) * cvr_k},
 *     {@code C_H = sum over l >= 1 of clicks(H - l) * Pconv[l]}, where
 *     {@code clicks(h) = sum over l >= 0 of imps(h - l) * Pclick[l]} are the clicks (of unit weight)
 *     happening in hour h, on time or late;</li>
 * <li>view-through conversions: {@code weight_k = share_k * vt * ctr_k * cvr_k},
 *     {@code C_H = sum over l >= 1 of imps(H - l) * Pconv[l]};</li>
 * </ul>
 * with {@code imps(h)} the expected impressions of hour of day {@code h mod 24} and {@code P[l]} the
 * {@link LagDistribution#hourShares() hour shares} of the lag. The origin of an event is taken as
 * uniform within its hour: exact for impressions, close for clicks (those of impressions in an
 * hour's last minute are a little more likely to have left it). Arrivals are split by whether the
 * origin hour lies on the same day ({@code l <= H}) or an earlier one, to report how many cross a
 * day.
 *
 * <p>Over the long run every impression gets its click with probability CTR, every click its
 * conversion with probability {@code (1 - vt) CVR} and every impression a view-through conversion
 * with probability {@code vt CTR CVR}, on time or late, so the truth rates hold for the data as
 * written.
 */
final class Traffic {

    /** Kinds of late arrivals. */
    static final int CLICK = 0;
    static final int CLICK_THROUGH = 1;
    static final int VIEW_THROUGH = 2;
    static final int KINDS = 3;

    private final GeneratorSettings settings;
    private final LagDistribution clickLag;
    private final LagDistribution conversionLag;
    private final double linesPerImpression;
    private final double[] impressions = new double[24];
    /** [kind][hour of day]: expected late arrivals of all servers whose origin is on the same day. */
    private final double[][] sameDay = new double[KINDS][24];
    /** [kind][hour of day]: the same for origins on earlier days. */
    private final double[][] earlierDays = new double[KINDS][24];
    private final double maxCtr;
    private final double maxConversionsPerImpression;

    private Traffic(GeneratorSettings settings, KeyUniverse universe) {
        this.settings = settings;
        clickLag = lag(settings.clickLagMedian(), GeneratorSettings.CLICK_LAG_SIGMA, GeneratorSettings.CLICK_LAG_MAX);
        conversionLag = lag(settings.conversionLagMedian(), GeneratorSettings.CONVERSION_LAG_SIGMA,
                GeneratorSettings.CONVERSION_LAG_MAX);

        // Traffic-weighted sums over the keys, smallest shares first so they are not lost.
        double clicksPerImpression = 0;
        double conversionsPerImpression = 0;
        double maxC = 0;
        double maxCc = 0;
        for (int i = universe.size() - 1; i >= 0; i--) {
            double share = universe.trafficShare(i);
            clicksPerImpression += share * universe.ctr(i);
            conversionsPerImpression += share * universe.conversionsPerImpression(i);
            maxC = Math.max(maxC, universe.ctr(i));
            maxCc = Math.max(maxCc, universe.conversionsPerImpression(i));
        }
        maxCtr = maxC;
        maxConversionsPerImpression = maxCc;
        linesPerImpression = 1 + clicksPerImpression + conversionsPerImpression;
        for (int h = 0; h < 24; h++) {
            impressions[h] = settings.meanEventsForHour(h) / linesPerImpression;
        }

        double vt = universe.viewThroughShare();
        double[] weight = new double[KINDS];
        weight[CLICK] = clicksPerImpression;
        weight[CLICK_THROUGH] = (1 - vt) * conversionsPerImpression;
        weight[VIEW_THROUGH] = vt * conversionsPerImpression;

        double[] clickShares = clickLag == null ? new double[] {1} : clickLag.hourShares();
        double[] conversionShares = conversionLag == null ? new double[] {1} : conversionLag.hourShares();
        double[] clicks = new double[24];
        for (int h = 0; h < 24; h++) {
            for (int l = 0; l < clickShares.length; l++) {
                clicks[h] += impressions[Math.floorMod(h - l, 24)] * clickShares[l];
            }
        }
        for (int h = 0; h < 24; h++) {
            accumulate(CLICK, h, weight[CLICK], impressions, clickShares);
            accumulate(CLICK_THROUGH, h, weight[CLICK_THROUGH], clicks, conversionShares);
            accumulate(VIEW_THROUGH, h, weight[VIEW_THROUGH], impressions, conversionShares);
        }
    }

    static Traffic of(GeneratorSettings settings, KeyUniverse universe) {
        return new Traffic(settings, universe);
    }

    private static LagDistribution lag(Duration median, double sigma, Duration max) {
        return median.isZero() ? null : LagDistribution.logNormal(median, sigma, max);
    }

    /** Adds the arrivals of {@code kind} into hour of day {@code h} from origins {@code l >= 1} hours earlier. */
    private void accumulate(int kind, int h, double weight, double[] origins, double[] shares) {
        // Largest lags first: the small terms are not lost against the large ones.
        for (int l = shares.length - 1; l >= 1; l--) {
            double arrivals = weight * origins[Math.floorMod(h - l, 24)] * shares[l];
            if (l <= h) {
                sameDay[kind][h] += arrivals;
            } else {
                earlierDays[kind][h] += arrivals;
            }
        }
    }

    /** The click lag, or null when clicks are tidy (within a minute, in the impression's hour). */
    LagDistribution clickLag() {
        return clickLag;
    }

    /** The conversion lag, or null when conversions are tidy (within 15 minutes, in the hour). */
    LagDistribution conversionLag() {
        return conversionLag;
    }

    /** Expected good lines per impression over the long run: 1 + CTR + CTR * CVR, traffic-weighted. */
    double linesPerImpression() {
        return linesPerImpression;
    }

    /** Impressions written in hour {@code hr} of every day, over all servers. */
    long impressionsForHour(int hr) {
        return Math.round(impressions[hr]);
    }

    /** Expected late arrivals of {@code kind} into hour {@code hr}, all servers, whose origin is on the same day. */
    double lateSameDay(int kind, int hr) {
        return sameDay[kind][hr];
    }

    /** Expected late arrivals of {@code kind} into hour {@code hr}, all servers, whose origin is on an earlier day. */
    double lateEarlierDays(int kind, int hr) {
        return earlierDays[kind][hr];
    }

    /** The largest CTR of a key: bound for picking late clicks' keys by rejection. */
    double maxCtr() {
        return maxCtr;
    }

    /** The largest CTR * CVR of a key: bound for picking late conversions' keys by rejection. */
    double maxConversionsPerImpression() {
        return maxConversionsPerImpression;
    }

    GeneratorSettings settings() {
        return settings;
    }
}
