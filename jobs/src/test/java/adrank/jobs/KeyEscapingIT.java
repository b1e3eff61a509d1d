package adrank.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Key components containing the separator or spaces never merge with another key and come back
 * unchanged. Control characters and bytes that are not UTF-8 never become keys: they are
 * quarantined. Tabs and line breaks cannot occur inside a TSV field, so that case goes through the
 * ORC table ({@code t_bin_events}), as do bytes that are not UTF-8 inside an ORC string.
 */
@ExtendWith(AdrankStack.class)
class KeyEscapingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    /** (ad_id, geo, browser) triples; the first two would both be "a|b|c|..." unescaped. */
    private static final List<List<String>> TRICKY = List.of(
            List.of("a|b", "c", "chrome"),
            List.of("a", "b|c", "chrome"),
            List.of("ad 1", "US", "Samsung Internet"),
            List.of("ad\\x201", "US", "Samsung\\x20Internet"),
            List.of("ad1", "US", "Samsung  Internet"));

    private static List<List<String>> exportedComponents(RunContext ctx) throws Exception {
        List<List<String>> result = new ArrayList<>();
        for (String line : Export.jsonLines(ctx).lines().toList()) {
            JsonNode dims = JSON.readTree(line).get("dims");
            result.add(List.of(dims.get("ad_id").asText(), dims.get("geo").asText(), dims.get("browser").asText()));
        }
        return result;
    }

    @Test
    void textKeysWithSeparatorsAndSpacesStayDistinct(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("keystext", Map.of())) {
            List<String> lines = new ArrayList<>();
            for (List<String> k : TRICKY) {
                lines.add(TestHours.line("2026-03-01 10:00:00", "imp", k.get(0), k.get(1), k.get(2), 100, 0));
            }
            TestHours.writeHour(Path.of(ctx.config().input().path()), "2026-03-01", "10", lines);
            HourlyJob.Outcome outcome = HourlyJob.run(ctx, new HourId(DAY, 10));
            assertThat(outcome.keysWritten()).isEqualTo(TRICKY.size());
            assertThat(exportedComponents(ctx)).containsExactlyInAnyOrderElementsOf(TRICKY);
            assertThat(Export.jsonLines(ctx)).contains("\"key\":\"a\\\\x7Cb|c|mobile|android|chrome|wifi\"");
        }
    }

    @Test
    void orcKeysWithSeparatorsAndSpacesRoundTripAndControlCharactersOrInvalidUtf8AreQuarantined(
            AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("keysorc",
                Map.of("input.table", "t_bin_events", "input.format", "orc", "input.max-bad-fraction", "0.5"))) {
            List<List<String>> bad = List.of(List.of("tab\there", "US", "chrome"), List.of("tab", "here\tUS", "chrome"),
                    List.of("line\nbreak", "US", "chrome"));
            List<List<String>> keys = new ArrayList<>(TRICKY);
            keys.addAll(bad);
            StructType schema = new StructType();
            for (String column : RawEventSchema.COLUMNS) {
                schema = schema.add(column, column.endsWith("_micros") ? DataTypes.LongType
                        : column.equals("geo") ? DataTypes.BinaryType : DataTypes.StringType);
            }
            List<Row> rows = new ArrayList<>();
            for (List<String> k : keys) {
                rows.add(RowFactory.create("2026-03-01 10:00:00", "imp", "r", k.get(0), "c", "a", "s",
                        k.get(1).getBytes(StandardCharsets.UTF_8), "mobile", "android", k.get(2), "wifi", "isp", 250L, 0L));
            }
            // geo "M<0xFF>X": an ORC string holds bytes, and Spark writes these as they are
            rows.add(RowFactory.create("2026-03-01 10:00:00", "imp", "r", "ad1", "c", "a", "s",
                    new byte[] {'M', (byte) 0xFF, 'X'}, "mobile", "android", "chrome", "wifi", "isp", 250L, 0L));
            Path hour = Path.of(ctx.config().input().path(), "t_bin_events/dt=2026-03-01/hr=10");
            ctx.spark().createDataFrame(rows, schema).withColumn("geo", col("geo").cast("string"))
                    .select(RawEventSchema.COLUMNS.stream().map(functions::col).toArray(Column[]::new))
                    .coalesce(1).write().mode(SaveMode.Overwrite).option("compression", "zlib").orc(hour.toString());
            assertThat(Files.exists(hour.resolve("_SUCCESS"))).isTrue();

            HourlyJob.Outcome outcome = HourlyJob.run(ctx, new HourId(DAY, 10));
            assertThat(outcome.badReasons()).isEqualTo(Map.of("control_character", 3L, "invalid_utf8", 1L));
            assertThat(outcome.keysWritten()).isEqualTo(TRICKY.size());
            assertThat(exportedComponents(ctx)).containsExactlyInAnyOrderElementsOf(TRICKY);
            List<String> details = new ArrayList<>();
            try (java.util.stream.Stream<Path> files = Files.list(Path.of(outcome.quarantine()))) {
                for (Path file : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        details.add(JSON.readTree(line).get("detail").asText());
                    }
                }
            }
            assertThat(details).containsExactlyInAnyOrder("ad_id contains control character U+0009 at offset 3",
                    "geo contains control character U+0009 at offset 4",
                    "ad_id contains control character U+000A at offset 4",
                    "geo is not valid UTF-8: byte 0xFF at byte offset 1");
        }
    }
}
