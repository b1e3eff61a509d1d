package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed rows land in the quarantine with their reason; too many fail the run, untouched. */
@ExtendWith(AdrankStack.class)
class QuarantineIT {

    private static final LocalDate DAY = LocalDate.of(2026, 2, 1);
    private static final String TS = "2026-02-01 07:15:00";

    /** One row of every malformed class, keyed by the reason it must get. */
    private static final Map<String, String> MALFORMED = Map.of(
            "column_count", String.join("\t", TS, "imp", "r", "ad1", "US"),
            "bad_timestamp", TestHours.line("2026-02-01 7:15", "imp", "ad1", "US", "chrome", 10, 0),
            "bad_number", TestHours.line(TS, "imp", "ad1", "US", "chrome", 10, 0).replace("\t10\t", "\t12x\t"),
            "negative_money", TestHours.line(TS, "conv", "ad1", "US", "chrome", 0, -3),
            "unknown_event", TestHours.line(TS, "impression", "ad1", "US", "chrome", 10, 0),
            "empty_key_component", TestHours.line(TS, "imp", "ad1", "", "chrome", 10, 0));

    private static List<String> goodRows(int n) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(TestHours.line(TS, "imp", "ad" + (i % 7), "US", "chrome", 100, 0));
        }
        return rows;
    }

    private static List<JsonNode> quarantined(String dir) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    rows.add(json.readTree(line));
                }
            }
        }
        return rows;
    }

    @Test
    void eachMalformedClassLandsInQuarantineWithItsReason(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("quarantine", Map.of("input.max-bad-fraction", "0.1"))) {
            List<String> lines = new ArrayList<>(goodRows(94));
            lines.addAll(MALFORMED.values());
            TestHours.writeHour(Path.of(ctx.config().input().path()), "2026-02-01", "07", lines);

            HourlyJob.Outcome outcome = HourlyJob.run(ctx, new HourId(DAY, 7));
            assertThat(outcome.rowsIn()).isEqualTo(100);
            assertThat(outcome.rowsBad()).isEqualTo(6);
            Map<String, Long> expected = new HashMap<>();
            MALFORMED.keySet().forEach(reason -> expected.put(reason, 1L));
            assertThat(outcome.badReasons()).isEqualTo(expected);

            Map<String, String> lineByReason = new HashMap<>();
            for (JsonNode row : quarantined(outcome.quarantine())) {
                lineByReason.put(row.get("reason").asText(), row.get("line").asText());
                assertThat(row.get("detail").asText()).isNotBlank();
                assertThat(row.get("file").asText()).endsWith("adserver-01.tsv.gz");
            }
            assertThat(lineByReason).isEqualTo(MALFORMED);
            assertThat(outcome.keysWritten()).isEqualTo(7);
        }
    }

    @Test
    void tooManyMalformedRowsFailTheRunAndLeaveHBaseUntouched(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("threshold", Map.of("input.max-bad-fraction", "0.05"))) {
            Path data = Path.of(ctx.config().input().path());
            TestHours.writeHour(data, "2026-02-01", "07", goodRows(20));
            HourlyJob.run(ctx, new HourId(DAY, 7));
            String before = Export.jsonLines(ctx);
            assertThat(before.lines()).hasSize(7);

            // the hour is replaced by one with 6 malformed of 26 rows (23 %) and new revenue
            List<String> lines = new ArrayList<>(goodRows(20)).stream().map(l -> l.replace("\t100\t", "\t999\t"))
                    .collect(java.util.stream.Collectors.toList());
            lines.addAll(MALFORMED.values());
            TestHours.writeHour(data, "2026-02-01", "07", lines);
            assertThatThrownBy(() -> HourlyJob.run(ctx, new HourId(DAY, 7)))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("6 of 26 rows")
                    .hasMessageContaining("input.max-bad-fraction")
                    .hasMessageContaining("nothing was written to HBase");

            assertThat(Export.jsonLines(ctx)).isEqualTo(before);
            RunRecord latest = ctx.ledger().latest(RunUnit.hour(new HourId(DAY, 7))).orElseThrow();
            assertThat(latest.status()).isEqualTo(RunRecord.FAILED);
            assertThat(latest.rowsBad()).isEqualTo(6);
            assertThat(quarantined(new adrank.loaders.hive.Quarantine(ctx.config().input().quarantineDir(),
                    "t_raw_events").location(new HourId(DAY, 7)))).hasSize(6);
        }
    }
}
