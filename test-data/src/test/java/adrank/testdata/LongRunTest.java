package adrank.testdata;

import static adrank.testdata.RawEventLayout.EVENT;
import static adrank.testdata.RawEventLayout.REQUEST_ID;
import static adrank.testdata.RawEventLayout.REVENUE_MICROS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over several days the production-like data (lags, view-through conversions, CPA billing) show the
 * truth file's long-run rates, while single hours do not have to.
 */
class LongRunTest {

    /**
     * Three days of a small universe, about 2.9 million lines. Seed 9 puts all three billings among
     * the six heaviest keys (cpc, cpm, cpm, cpa, cpc, cpa).
     */
    private static final GeneratorSettings LONG = GeneratorSettings.builder()
            .seed(9).days(3).eventsPerHour(40_000).keys(12).adServers(2).build();
    private static final int HOURS = LONG.days() * 24;
    private static final int HEAVY_KEYS = 6;
    /** Coefficient of variation of a single price: log-normal noise with sigma 0.3. */
    private static final double PRICE_CV = Math.sqrt(Math.exp(0.3 * 0.3) - 1);
    private static final int IMP = 0;
    private static final int CLICK = 1;
    private static final int CONV = 2;

    private static GenerationSummary summary;
    private static List<String[]> truth;
    /** [hour][key][event type]: lines. */
    private static long[][][] lines;
    /** [key][event type]: revenue on lines of that type. */
    private static long[][] revenue;
    /** [key][event type]: lines of that type with non-zero revenue. */
    private static long[][] linesWithRevenue;
    private static long lateClicks;
    private static long lateConversions;

    @BeforeAll
    static void generateThreeDays(@TempDir Path root) throws IOException {
        summary = EventGenerator.generate(LONG, root, null);
        truth = GeneratedData.truthRows(root);
        Map<String, Integer> rowOfKey = new HashMap<>();
        int[] truthKeyPositions = {0, 1, 2, 3, 4, 5};
        for (int i = 0; i < truth.size(); i++) {
            rowOfKey.put(GeneratedData.key(truth.get(i), truthKeyPositions), i);
        }
        lines = new long[HOURS][truth.size()][3];
        revenue = new long[truth.size()][3];
        linesWithRevenue = new long[truth.size()][3];
        for (int h = 0; h < HOURS; h++) {
            LocalDate dt = LONG.startDay().plusDays(h / 24);
            for (Path file : GeneratedData.files(root, dt, h % 24)) {
                Set<String> requests = new HashSet<>();
                for (String line : GeneratedData.lines(file)) {
                    int[] tabs = GeneratedData.tabs(line);
                    int key = rowOfKey.get(GeneratedData.key(line, tabs));
                    int event = switch (line.charAt(tabs[EVENT - 1] + 2)) {
                        case 'm' -> IMP;
                        case 'l' -> CLICK;
                        default -> CONV;
                    };
                    boolean late = requests.add(GeneratedData.column(line, tabs, REQUEST_ID)) && event != IMP;
                    if (late && event == CLICK) {
                        lateClicks++;
                    } else if (late) {
                        lateConversions++;
                    }
                    lines[h][key][event]++;
                    long money = Long.parseLong(line, tabs[REVENUE_MICROS - 1] + 1, tabs[REVENUE_MICROS], 10);
                    revenue[key][event] += money;
                    linesWithRevenue[key][event] += money > 0 ? 1 : 0;
                }
            }
        }
    }

    @Test
    void mostConversionsLandInALaterHourThanTheirClickAndManyOnALaterDay() {
        DoubleUnaryOperator conversionLag = LagMath.truncatedCdf(LONG.conversionLagMedian(),
                GeneratorSettings.CONVERSION_LAG_SIGMA, GeneratorSettings.CONVERSION_LAG_MAX);
        DoubleUnaryOperator clickLag = LagMath.truncatedCdf(LONG.clickLagMedian(),
                GeneratorSettings.CLICK_LAG_SIGMA, GeneratorSettings.CLICK_LAG_MAX);
        double conversions = summary.conversions();
        double clicks = summary.clicks();

        // What the files show: a click or conversion whose request id is new in its file is late.
        assertThat(lateConversions).isEqualTo(summary.lateConversions());
        assertThat(lateClicks).isEqualTo(summary.lateClicks());
        // Clicks and impressions (origins of conversions) fall uniformly within their hours, so a
        // share landsAtLeastHoursLater(1) of each leaves its hour: 89 % of conversions, 3.3 % of clicks.
        double laterHour = LagMath.landsAtLeastHoursLater(conversionLag, 1);
        assertThat(laterHour).isBetween(0.87, 0.90);
        assertThat(lateConversions / conversions)
                .isCloseTo(laterHour, within(4.5 * Math.sqrt(laterHour * (1 - laterHour) / conversions)));
        double lateClick = LagMath.landsAtLeastHoursLater(clickLag, 1);
        assertThat(lateClicks / clicks)
                .isCloseTo(lateClick, within(4.5 * Math.sqrt(lateClick * (1 - lateClick) / clicks)));

        // Origins spread over the day like the traffic; which day a late conversion's click was on
        // the files cannot show (its request id is new), so this is the generator's own count.
        double[] traffic = IntStream.range(0, 24).mapToDouble(LONG::targetEventsForHour).toArray();
        double laterDay = LagMath.landsOnALaterDay(conversionLag, traffic);
        assertThat(laterDay).isBetween(0.25, 0.31);
        assertThat(summary.earlierDayConversions() / conversions)
                .isCloseTo(laterDay, within(4.5 * Math.sqrt(laterDay * (1 - laterDay) / conversions)));
    }

    @Test
    void viewThroughConversionsAreTheConfiguredShare() {
        double share = LONG.viewThroughShare();
        double conversions = summary.conversions();

        assertThat(summary.viewThroughConversions() / conversions)
                .isCloseTo(share, within(4.5 * Math.sqrt(share * (1 - share) / conversions)));
    }

    @Test
    void someKeyHoursHaveMoreConversionsThanClicksOrMoreClicksThanImpressions(@TempDir Path root) throws IOException {
        // Thin keys are what show it: an hour's late clicks and conversions come from earlier hours'
        // impressions, so a key with none or one impression in the hour can still have some. The
        // default universe at low volume: most keys get a few impressions a day.
        GeneratorSettings thin = GeneratorSettings.builder().days(1).eventsPerHour(5_000).build();
        EventGenerator.generate(thin, root, null);

        long moreConversionsThanClicks = 0;
        long moreClicksThanImpressions = 0;
        for (int hr = 0; hr < 24; hr++) {
            Map<String, long[]> counts = new HashMap<>();
            for (String line : GeneratedData.hourLines(root, thin.startDay(), hr)) {
                int[] tabs = GeneratedData.tabs(line);
                long[] key = counts.computeIfAbsent(GeneratedData.key(line, tabs), k -> new long[3]);
                key[switch (line.charAt(tabs[EVENT - 1] + 2)) {
                    case 'm' -> IMP;
                    case 'l' -> CLICK;
                    default -> CONV;
                }]++;
            }
            for (long[] key : counts.values()) {
                moreConversionsThanClicks += key[CONV] > key[CLICK] ? 1 : 0;
                moreClicksThanImpressions += key[CLICK] > key[IMP] ? 1 : 0;
            }
        }

        assertThat(moreConversionsThanClicks).isGreaterThan(10);
        assertThat(moreClicksThanImpressions).isPositive();
    }

    @Test
    void overTheLongRunHeavyKeysShowTheirTrueRates() {
        // Given its impressions, a key's clicks are about Poisson(impressions * ctr) (on-time and late
        // together) and its conversions about Poisson(clicks * cvr). Its revenue is a sum of prices,
        // each the price per billed event times mean-one noise of coefficient of variation PRICE_CV,
        // over a Poisson number of billed events (1, ctr or ctr * cvr per impression), so revenue per
        // impression has a standard error of price * sqrt((cv^2 + 1) / (impressions * rate)), for CPM
        // (a fixed number of events) price * cv / sqrt(impressions). 4.5 standard errors.
        Set<String> billings = new HashSet<>();
        for (int i = 0; i < HEAVY_KEYS; i++) {
            String[] row = truth.get(i);
            double ctr = Double.parseDouble(row[7]);
            double cvr = Double.parseDouble(row[8]);
            double pricePerImpression = Double.parseDouble(row[9]) / 1000;
            String billing = row[11];
            billings.add(billing);
            long[] total = new long[3];
            for (long[][] hour : lines) {
                for (int e = 0; e < 3; e++) {
                    total[e] += hour[i][e];
                }
            }
            double impressions = total[IMP];
            double clicks = total[CLICK];
            double conversions = total[CONV];
            assertThat(conversions).as("conversions of key %d", i).isGreaterThan(25);

            assertThat(clicks).as("clicks of key %d", i)
                    .isCloseTo(impressions * ctr, within(4.5 * Math.sqrt(impressions * ctr)));
            assertThat(conversions).as("conversions of key %d", i)
                    .isCloseTo(clicks * cvr, within(4.5 * Math.sqrt(clicks * cvr) + 1));
            double rate = switch (billing) {
                case "cpm" -> 1;
                case "cpc" -> ctr;
                default -> ctr * cvr;
            };
            double error = billing.equals("cpm")
                    ? pricePerImpression * PRICE_CV / Math.sqrt(impressions)
                    : pricePerImpression * Math.sqrt((PRICE_CV * PRICE_CV + 1) / (impressions * rate));
            long keyRevenue = revenue[i][IMP] + revenue[i][CLICK] + revenue[i][CONV];
            assertThat(keyRevenue / impressions).as("revenue per impression of %s key %d", billing, i)
                    .isCloseTo(pricePerImpression, within(4.5 * error));
        }
        assertThat(billings).containsExactlyInAnyOrderElementsOf(RawEventLayout.BILLING_TYPES);
    }

    @Test
    void revenueComesOnlyOnTheLinesOfTheKeysBilling() {
        for (int i = 0; i < truth.size(); i++) {
            int billed = switch (truth.get(i)[11]) {
                case "cpm" -> IMP;
                case "cpc" -> CLICK;
                case "cpa" -> CONV;
                default -> throw new AssertionError(truth.get(i)[11]);
            };
            long[] events = new long[3];
            for (long[][] hour : lines) {
                for (int e = 0; e < 3; e++) {
                    events[e] += hour[i][e];
                }
            }
            for (int e = 0; e < 3; e++) {
                assertThat(linesWithRevenue[i][e]).as("key %d, event %d", i, e).isEqualTo(e == billed ? events[e] : 0);
            }
        }
    }
}
