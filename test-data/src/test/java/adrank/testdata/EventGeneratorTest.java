package adrank.testdata;

import static adrank.testdata.RawEventLayout.EVENT;
import static adrank.testdata.RawEventLayout.REQUEST_ID;
import static adrank.testdata.RawEventLayout.REVENUE_MICROS;
import static adrank.testdata.RawEventLayout.TS;
import static adrank.testdata.RawEventLayout.VALUE_MICROS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventGeneratorTest {

    private static final GeneratorSettings SMALL = GeneratorSettings.builder()
            .days(2).hoursPerDay(3).eventsPerHour(3_000).keys(300).adServers(3).build();

    @TempDir
    Path root;

    @Test
    void writesOneFilePerServerPerHourAndTheMarkerLast() throws IOException {
        List<HourSummary> reported = new ArrayList<>();

        GenerationSummary summary = EventGenerator.generate(SMALL, root, reported::add);

        assertThat(summary.hours()).isEqualTo(6);
        assertThat(summary.files()).isEqualTo(18);
        assertThat(reported).extracting(h -> h.dt() + "/" + h.hr()).containsExactly(
                "2024-05-01/0", "2024-05-01/1", "2024-05-01/2", "2024-05-02/0", "2024-05-02/1", "2024-05-02/2");
        try (Stream<Path> days = Files.list(root.resolve("t_raw_events"))) {
            assertThat(days.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("dt=2024-05-01", "dt=2024-05-02");
        }
        long lines = 0;
        for (HourSummary hour : reported) {
            Path dir = RawEventLayout.hourDirectory(root, hour.dt(), hour.hr());
            try (Stream<Path> entries = Files.list(dir)) {
                assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                        "adserver-01.tsv.gz", "adserver-02.tsv.gz", "adserver-03.tsv.gz", "_SUCCESS");
            }
            Path marker = dir.resolve(RawEventLayout.SUCCESS_MARKER);
            assertThat(marker).isEmptyFile();
            for (Path file : GeneratedData.files(root, hour.dt(), hour.hr())) {
                assertThat(Files.getLastModifiedTime(marker)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(file));
            }
            lines += GeneratedData.hourLines(root, hour.dt(), hour.hr()).size();
        }
        assertThat(summary.events()).isEqualTo(lines)
                .isEqualTo(summary.impressions() + summary.clicks() + summary.conversions());
        assertThat(RawEventLayout.truthFile(root)).exists();
    }

    @Test
    void sameSettingsGiveIdenticalBytesWhateverTheThreadCount() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().adServers(5).badRowsPerHour(7).build();
        Path single = root.resolve("single");
        Path parallel = root.resolve("parallel");
        Path otherSeed = root.resolve("other-seed");

        EventGenerator.generate(settings, single, null, 1);
        EventGenerator.generate(settings, parallel, null, 4);
        EventGenerator.generate(settings.toBuilder().seed(43).build(), otherSeed, null, 4);

        List<Path> files = relativeFiles(single);
        assertThat(files).hasSize(1 + 6 * 6).isEqualTo(relativeFiles(parallel));
        for (Path file : files) {
            assertThat(single.resolve(file)).hasSameBinaryContentAs(parallel.resolve(file));
            if (!file.getFileName().toString().equals(RawEventLayout.SUCCESS_MARKER)) {
                assertThat(Files.mismatch(single.resolve(file), otherSeed.resolve(file))).as(file.toString()).isNotNegative();
            }
        }
    }

    @Test
    void everyGoodLineIsAWellFormedEventOfItsHour() throws IOException {
        LocalDate dt = LocalDate.of(2024, 5, 1);
        GenerationSummary summary = EventGenerator.generateHour(SMALL, root, dt, 13);

        long impressions = 0;
        long lateClicks = 0;
        long lateConversions = 0;
        for (Path file : GeneratedData.files(root, dt, 13)) {
            Map<String, String> lastEventOfRequest = new HashMap<>();
            Map<String, Long> impressionRevenue = new HashMap<>();
            LocalDateTime previousTs = dt.atTime(13, 0);
            for (String line : GeneratedData.lines(file)) {
                assertThat(GeneratedData.defect(line)).as(line).isEmpty();
                String[] c = line.split("\t", -1);
                assertThat(c).hasSize(15);
                LocalDateTime ts = LocalDateTime.parse(c[TS], GeneratedData.TIMESTAMP);
                assertThat(ts).isBetween(dt.atTime(13, 0), dt.atTime(13, 59, 59)).isAfterOrEqualTo(previousTs);
                previousTs = ts;
                assertThat(c[REQUEST_ID]).matches("[0-9a-f]{16}");
                assertThat(c[3] + " " + c[4] + " " + c[5]).matches("ad\\d{6} cmp\\d{5} adv\\d{4}");
                long revenue = Long.parseLong(c[REVENUE_MICROS]);
                long value = Long.parseLong(c[VALUE_MICROS]);
                String previous = lastEventOfRequest.put(c[REQUEST_ID], c[EVENT]);
                switch (c[EVENT]) {
                    case "imp" -> {
                        assertThat(previous).isNull();
                        assertThat(value).isZero();
                        impressionRevenue.put(c[REQUEST_ID], revenue);
                        impressions++;
                    }
                    case "click" -> {
                        // A click of an earlier hour's impression has a request id of its own.
                        if (previous == null) {
                            lateClicks++;
                        } else {
                            assertThat(previous).as("an on-time click follows its impression").isEqualTo("imp");
                            if (revenue > 0) {
                                assertThat(impressionRevenue.get(c[REQUEST_ID]))
                                        .as("CPC-billed: revenue on the click, none on the impression").isZero();
                            }
                        }
                        assertThat(value).isZero();
                    }
                    case "conv" -> {
                        if (previous == null) {
                            lateConversions++;
                        } else {
                            assertThat(previous).as("an on-time conversion follows its click or, view-through, "
                                    + "its impression").isIn("click", "imp");
                            if (revenue > 0) {
                                assertThat(impressionRevenue.get(c[REQUEST_ID]))
                                        .as("CPA-billed: revenue on the conversion, none on the impression").isZero();
                            }
                        }
                        assertThat(value).isPositive();
                    }
                    default -> throw new AssertionError(line);
                }
            }
        }
        assertThat(impressions).isEqualTo(summary.impressions());
        assertThat(lateClicks).isEqualTo(summary.lateClicks()).isPositive();
        assertThat(lateConversions).isEqualTo(summary.lateConversions()).isPositive();
        // A fixed number of impressions; clicks and conversions, on time or late, are random.
        assertThat(summary.events()).isCloseTo(SMALL.targetEventsForHour(13), withinPercentage(3));
    }

    @Test
    void generatingOneHourWritesExactlyTheBytesOfThatHourInAFullRun() throws IOException {
        Path full = root.resolve("full");
        Path single = root.resolve("single");
        LocalDate dt = SMALL.endDay();

        EventGenerator.generate(SMALL, full, null, 2);
        EventGenerator.generateHour(SMALL, single, dt, 2, 1);

        List<Path> files = GeneratedData.files(single, dt, 2);
        assertThat(files).hasSize(SMALL.adServers());
        for (Path file : files) {
            Path same = RawEventLayout.hourDirectory(full, dt, 2).resolve(file.getFileName());
            assertThat(file).hasSameBinaryContentAs(same);
        }
    }

    @Test
    void badRowsComeInTheRequestedNumberCyclingThroughTheClasses() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().badRowsPerHour(14).adServers(4).build();

        GenerationSummary summary = EventGenerator.generate(settings, root, null);

        assertThat(summary.badRows()).isEqualTo(14L * summary.hours());
        for (LocalDate dt : List.of(settings.startDay(), settings.endDay())) {
            for (int hr = 0; hr < settings.hoursPerDay(); hr++) {
                Map<BadRow, Integer> defects = new EnumMap<>(BadRow.class);
                GeneratedData.hourLines(root, dt, hr).forEach(
                        line -> GeneratedData.defect(line).ifPresent(d -> defects.merge(d, 1, Integer::sum)));
                // Bad rows 0..13 have classes j % 6: the first two classes three times, the others twice.
                assertThat(defects).containsExactly(
                        Map.entry(BadRow.WRONG_COLUMN_COUNT, 3), Map.entry(BadRow.UNPARSABLE_NUMBER, 3),
                        Map.entry(BadRow.UNPARSABLE_TIMESTAMP, 2), Map.entry(BadRow.NEGATIVE_MONEY, 2),
                        Map.entry(BadRow.UNKNOWN_EVENT, 2), Map.entry(BadRow.EMPTY_KEY_COMPONENT, 2));
            }
        }
    }

    @Test
    void badRowsAreWrittenEvenIntoAnHourWithoutEvents() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().eventsPerHour(0).badRowsPerHour(6).build();

        GenerationSummary summary = EventGenerator.generateHour(settings, root, settings.startDay(), 0);

        assertThat(summary.events()).isZero();
        assertThat(GeneratedData.hourLines(root, settings.startDay(), 0))
                .hasSize(6).allSatisfy(line -> assertThat(GeneratedData.defect(line)).isPresent());
    }

    @Test
    void anHourWithoutEventsIsEmptyFilesAndAMarker() throws IOException {
        GeneratorSettings settings = SMALL.toBuilder().eventsPerHour(0).build();

        EventGenerator.generateHour(settings, root, settings.startDay(), 5);

        Path dir = RawEventLayout.hourDirectory(root, settings.startDay(), 5);
        assertThat(dir.resolve(RawEventLayout.SUCCESS_MARKER)).exists();
        assertThat(GeneratedData.files(root, settings.startDay(), 5)).hasSize(3)
                .allSatisfy(f -> assertThat(GeneratedData.lines(f)).isEmpty());
    }

    @Test
    void regeneratingAnHourReplacesAllItsFiles() throws IOException {
        LocalDate dt = SMALL.startDay();
        EventGenerator.generateHour(SMALL.toBuilder().adServers(4).build(), root, dt, 7);
        Path dir = RawEventLayout.hourDirectory(root, dt, 7);
        Path stray = Files.writeString(dir.resolve("part-00000.tmp"), "left over");
        Files.setLastModifiedTime(dir.resolve(RawEventLayout.SUCCESS_MARKER), FileTime.fromMillis(0));

        EventGenerator.generateHour(SMALL.toBuilder().adServers(2).build(), root, dt, 7);

        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("adserver-01.tsv.gz", "adserver-02.tsv.gz", "_SUCCESS");
        }
        assertThat(stray).doesNotExist();
        assertThat(Files.getLastModifiedTime(dir.resolve(RawEventLayout.SUCCESS_MARKER)).toMillis()).isPositive();
    }

    @Test
    void truthHasOneRowPerDistinctKeyAndTheDataUsesOnlyThoseKeys() throws IOException {
        GenerationSummary summary = EventGenerator.generate(SMALL, root, null);

        List<String> header = List.of(Files.readAllLines(RawEventLayout.truthFile(root)).get(0).split("\t"));
        assertThat(header).isEqualTo(RawEventLayout.TRUTH_COLUMNS);
        List<String[]> truth = GeneratedData.truthRows(root);
        int[] truthKeyPositions = {0, 1, 2, 3, 4, 5};
        Set<String> truthKeys = new HashSet<>();
        truth.forEach(row -> truthKeys.add(GeneratedData.key(row, truthKeyPositions)));
        assertThat(truth).hasSize(SMALL.keys());
        assertThat(truthKeys).hasSize(SMALL.keys());
        assertThat(truth.stream().mapToDouble(row -> Double.parseDouble(row[6])).sum()).isCloseTo(1.0, within(1e-9));

        Set<String> seen = new HashSet<>();
        for (int hr = 0; hr < SMALL.hoursPerDay(); hr++) {
            for (String line : GeneratedData.hourLines(root, SMALL.startDay(), hr)) {
                seen.add(GeneratedData.key(line.split("\t", -1), GeneratedData.KEY_POSITIONS));
            }
        }
        assertThat(truthKeys).containsAll(seen);
        assertThat(summary.distinctKeys()).isLessThanOrEqualTo(SMALL.keys()).isGreaterThanOrEqualTo(seen.size());
    }

    private static List<Path> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
