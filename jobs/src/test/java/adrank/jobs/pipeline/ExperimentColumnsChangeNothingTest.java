package adrank.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.testdata.EventGenerator;
import adrank.testdata.ExperimentSettings;
import adrank.testdata.GeneratorSettings;
import adrank.testdata.RawEventLayout;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.spark.ParseAndCombine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hourly path's parse-and-combine step (what every hour cell, today and total are summed from)
 * gives the same per-key counters, event counts and reject reasons for the same events with and
 * without the trailing unit_id/variant columns (an A/A run: lift 0 leaves every other byte alone).
 */
class ExperimentColumnsChangeNothingTest {

    private static final GeneratorSettings SETTINGS = GeneratorSettings.builder().seed(3).days(1).hoursPerDay(2)
            .eventsPerHour(10_000).keys(500).adServers(2).badRowsPerHour(8).build();

    @Test
    void perKeyCountersAreIdenticalWithAndWithoutTheColumns(@TempDir Path plain, @TempDir Path tagged)
            throws IOException {
        EventGenerator.generate(SETTINGS, null, plain, null, 1);
        EventGenerator.generate(SETTINGS, ExperimentSettings.of("mx-cpm", 0.0, 1_000), tagged, null, 1);
        Map<String, String> before = combined(plain);
        Map<String, String> after = combined(tagged);
        assertThat(after).isEqualTo(before);
        assertThat(before).hasSizeGreaterThan(100);
        assertThat(before.keySet()).anyMatch(k -> k.startsWith("reason="));
    }

    /** Every file's rows through ParseAndCombine, as text lines: key (or reason) -> counters. */
    private static Map<String, String> combined(Path root) throws IOException {
        RawEventParser parser = new RawEventParser(RawEventLayout.KEY_COLUMNS, '|');
        Map<String, long[]> sums = new TreeMap<>();
        for (int hr = 0; hr < SETTINGS.hoursPerDay(); hr++) {
            for (int s = 1; s <= SETTINGS.adServers(); s++) {
                Path file = RawEventLayout.hourDirectory(root, SETTINGS.startDay(), hr)
                        .resolve(RawEventLayout.serverFileName(s));
                List<Row> rows = new ArrayList<>();
                try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                            .split("\n")) {
                        rows.add(RowFactory.create(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), "f" + s));
                    }
                }
                Iterator<Row> out = new ParseAndCombine(parser, true).call(rows.iterator());
                while (out.hasNext()) {
                    Row r = out.next();
                    String k = r.isNullAt(0) ? "reason=" + r.getString(7) : r.getString(0);
                    long[] t = sums.computeIfAbsent(k, x -> new long[6]);
                    for (int i = 0; i < 6; i++) {
                        t[i] += r.getLong(1 + i);
                    }
                }
            }
        }
        Map<String, String> text = new TreeMap<>();
        sums.forEach((k, v) -> text.put(k, java.util.Arrays.toString(v)));
        return text;
    }
}
