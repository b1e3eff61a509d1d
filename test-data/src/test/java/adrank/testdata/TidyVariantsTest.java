package adrank.testdata;

import static adrank.testdata.RawEventLayout.EVENT;
import static adrank.testdata.RawEventLayout.REQUEST_ID;
import static adrank.testdata.RawEventLayout.REVENUE_MICROS;
import static adrank.testdata.RawEventLayout.TS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each realism feature, switched off, gives back the tidy data of before. */
class TidyVariantsTest {

    private static final GeneratorSettings SMALL = GeneratorSettings.builder()
            .days(2).hoursPerDay(3).eventsPerHour(5_000).keys(300).adServers(2).build();

    @TempDir
    Path root;

    /** What the lines of a generation show about how follow-ups relate to their impressions. */
    private static final class Links {
        long impressions;
        long clicks;
        long conversions;
        long lateClicks;
        long lateConversions;
        long viewThrough;
        long conversionRevenueLines;
        long clickRevenueLines;
        long longestClickDelay;
        long longestConversionDelay;
    }

    private static Links links(Path root, GeneratorSettings settings) {
        Links links = new Links();
        for (int d = 0; d < settings.days(); d++) {
            LocalDate dt = settings.startDay().plusDays(d);
            for (int hr = 0; hr < settings.hoursPerDay(); hr++) {
                for (Path file : GeneratedData.files(root, dt, hr)) {
                    Map<String, String> lastEvent = new HashMap<>();
                    Map<String, Integer> lastSecond = new HashMap<>();
                    for (String line : GeneratedData.lines(file)) {
                        int[] tabs = GeneratedData.tabs(line);
                        String[] c = {GeneratedData.column(line, tabs, TS), GeneratedData.column(line, tabs, EVENT),
                                GeneratedData.column(line, tabs, REQUEST_ID)};
                        // All lines of a file are in one hour: "yyyy-MM-dd HH:mm:ss", seconds from mm:ss.
                        int second = Integer.parseInt(c[TS], 14, 16, 10) * 60 + Integer.parseInt(c[TS], 17, 19, 10);
                        String previous = lastEvent.put(c[REQUEST_ID], c[EVENT]);
                        Integer previousSecond = lastSecond.put(c[REQUEST_ID], second);
                        long delay = previousSecond == null ? 0 : second - previousSecond;
                        boolean revenue = Long.parseLong(line, tabs[REVENUE_MICROS - 1] + 1, tabs[REVENUE_MICROS], 10) > 0;
                        switch (c[EVENT]) {
                            case "imp" -> links.impressions++;
                            case "click" -> {
                                links.clicks++;
                                links.lateClicks += previous == null ? 1 : 0;
                                links.clickRevenueLines += revenue ? 1 : 0;
                                links.longestClickDelay = Math.max(links.longestClickDelay, delay);
                            }
                            default -> {
                                links.conversions++;
                                links.lateConversions += previous == null ? 1 : 0;
                                links.viewThrough += "imp".equals(previous) ? 1 : 0;
                                links.conversionRevenueLines += revenue ? 1 : 0;
                                links.longestConversionDelay = Math.max(links.longestConversionDelay, delay);
                            }
                        }
                    }
                }
            }
        }
        return links;
    }

    @Test
    void allOffEveryConversionFollowsItsClickAndEveryClickItsImpressionInTheSameHourAndFile() throws IOException {
        GeneratorSettings tidy = SMALL.tidy();

        GenerationSummary summary = EventGenerator.generate(tidy, root, null);

        Links links = links(root, tidy);
        assertThat(links.clicks).isPositive();
        assertThat(links.conversions).isPositive();
        assertThat(links.lateClicks).isZero();
        assertThat(links.lateConversions).isZero();
        assertThat(links.viewThrough).isZero();
        assertThat(links.conversionRevenueLines).isZero();
        assertThat(links.clickRevenueLines).as("CPC ads stay").isPositive();
        assertThat(links.longestClickDelay).isLessThanOrEqualTo(60);
        assertThat(links.longestConversionDelay).isLessThanOrEqualTo(900);
        assertThat(summary.lateClicks() + summary.lateConversions() + summary.viewThroughConversions()
                + summary.earlierDayConversions()).isZero();
        assertThat(GeneratedData.truthRows(root)).allSatisfy(row -> assertThat(row[11]).isIn("cpm", "cpc"));
    }

    @Test
    void withoutLagsViewThroughConversionsFollowTheirImpressionInTheSameFile() throws IOException {
        // One day at 40,000 lines an hour holds about 1,000 conversions.
        GeneratorSettings noLags = GeneratorSettings.builder().days(1).eventsPerHour(40_000).keys(300)
                .clickLagMedian(Duration.ZERO).conversionLagMedian(Duration.ZERO).build();

        GenerationSummary summary = EventGenerator.generate(noLags, root, null);

        Links links = links(root, noLags);
        assertThat(links.lateClicks).isZero();
        assertThat(links.lateConversions).isZero();
        assertThat(links.longestClickDelay).isLessThanOrEqualTo(60);
        assertThat(links.longestConversionDelay).isLessThanOrEqualTo(900);
        assertThat(links.viewThrough).isEqualTo(summary.viewThroughConversions());
        double share = noLags.viewThroughShare();
        double conversions = links.conversions;
        assertThat(conversions).isGreaterThan(800);
        assertThat(links.viewThrough / conversions)
                .isCloseTo(share, within(4.5 * Math.sqrt(share * (1 - share) / conversions)));
        assertThat(links.conversionRevenueLines).as("CPA ads stay").isPositive();
    }

    @Test
    void eachLagAloneSendsOnlyItsOwnEventsIntoLaterHours() throws IOException {
        GeneratorSettings clickLagOnly = SMALL.toBuilder().conversionLagMedian(Duration.ZERO).build();
        GeneratorSettings conversionLagOnly = SMALL.toBuilder().clickLagMedian(Duration.ZERO).build();

        GenerationSummary clickLagged = EventGenerator.generate(clickLagOnly, root.resolve("click"), null);
        GenerationSummary conversionLagged = EventGenerator.generate(conversionLagOnly, root.resolve("conv"), null);

        Links clicks = links(root.resolve("click"), clickLagOnly);
        assertThat(clicks.lateClicks).isEqualTo(clickLagged.lateClicks()).isPositive();
        assertThat(clicks.lateConversions).isZero();
        assertThat(clicks.longestConversionDelay).isLessThanOrEqualTo(900);
        Links conversions = links(root.resolve("conv"), conversionLagOnly);
        assertThat(conversions.lateClicks).isZero();
        assertThat(conversions.longestClickDelay).isLessThanOrEqualTo(60);
        assertThat(conversions.lateConversions).isEqualTo(conversionLagged.lateConversions()).isPositive();
    }

    @Test
    void withoutViewThroughEveryConversionHasAClick() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().viewThroughShare(0).build();

        GenerationSummary summary = EventGenerator.generate(settings, root, null);

        assertThat(summary.viewThroughConversions()).isZero();
        assertThat(summary.conversions()).isPositive();
        assertThat(links(root, settings).viewThrough).isZero();
    }

    @Test
    void withoutCpaTheCpaAdsAreBilledPerImpressionAndKeysKeepTheirParameters() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().cpaShare(0).build();

        EventGenerator.generate(settings, root.resolve("no-cpa"), null);
        EventGenerator.writeTruth(SMALL, root.resolve("default"));

        assertThat(links(root.resolve("no-cpa"), settings).conversionRevenueLines).isZero();
        List<String[]> without = GeneratedData.truthRows(root.resolve("no-cpa"));
        List<String[]> with = GeneratedData.truthRows(root.resolve("default"));
        assertThat(with).extracting(row -> row[11]).contains("cpa", "cpc", "cpm");
        for (int i = 0; i < with.size(); i++) {
            String[] a = with.get(i);
            String[] b = without.get(i);
            assertThat(b[11]).isEqualTo(a[11].equals("cpa") ? "cpm" : a[11]);
            assertThat(List.of(b).subList(0, 11)).isEqualTo(List.of(a).subList(0, 11));
        }
    }
}
