package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.stats.HourId;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed rows land in the quarantine with their reason (bytes that are not UTF-8 and control
 * characters in key columns too), under the schema's own directory; too many fail the run, untouched.
 */
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

    /** The line as the ad server wrote it, with one column replaced by raw bytes. */
    private static byte[] withColumn(String line, String column, byte[] value) {
        String[] fields = line.split("\t", -1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            out.writeBytes(i == RawEventSchema.indexOf(column) ? value : fields[i].getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** Every file under a directory: relative path -> (size, bytes' hash, modification time). */
    private static Map<String, List<Object>> snapshot(Path root) throws Exception {
        Map<String, List<Object>> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(file);
                files.put(root.relativize(file).toString(), List.of(bytes.length, java.util.Arrays.hashCode(bytes),
                        Files.getLastModifiedTime(file).toMillis()));
            }
        }
        return files;
    }

    @Test
    void invalidUtf8AndControlCharactersInKeyColumnsAreQuarantinedAndEachSchemaKeepsItsOwnQuarantine(
            AdrankStack.Services stack) throws Exception {
        // the scheduled schema itself ("default"), in an HBase namespace of its own (prefix) so no other test sees it
        Map<String, String> settings = stack.newSettings("badtext", Map.of("schema", AdrankConfig.DEFAULT_SCHEMA,
                "hbase.namespace-prefix", "badtext", "input.max-bad-fraction", "0.1"));
        HourId hour = new HourId(DAY, 9);
        List<byte[]> lines = new ArrayList<>();
        goodRows(40).forEach(l -> lines.add(l.getBytes(StandardCharsets.UTF_8)));
        String good = TestHours.line(TS, "imp", "ad1", "US", "chrome", 100, 0);
        byte[] invalidGeo = withColumn(good, "geo", new byte[] {'U', (byte) 0xFF, 'S'}); // Latin-1 or a torn write
        byte[] nulOs = withColumn(good, "os", "andr\0oid".getBytes(StandardCharsets.UTF_8));
        byte[] delAdId = withColumn(good, "ad_id", "ad\u007F1".getBytes(StandardCharsets.UTF_8));
        lines.addAll(List.of(invalidGeo, nulOs, delAdId));
        Path quarantineRoot;
        Map<String, List<Object>> defaultBefore;
        String hourDir = "t_raw_events/dt=" + hour.day() + "/hr=" + hour.hr();
        try (RunContext ctx = new RunContext(AdrankConfig.load("local", settings))) {
            TestHours.writeHourBytes(Path.of(ctx.config().input().path()), hour.day().toString(), hour.hr(), lines);
            HourlyJob.Outcome outcome = HourlyJob.run(ctx, hour);
            assertThat(outcome.rowsIn()).isEqualTo(43);
            assertThat(outcome.badReasons()).isEqualTo(Map.of("invalid_utf8", 1L, "control_character", 2L));
            assertThat(outcome.keysWritten()).isEqualTo(7);

            // the default schema's quarantine is <input.quarantine-dir>/<table>/dt=../hr=..
            quarantineRoot = Path.of(ctx.config().input().quarantineDir());
            assertThat(quarantineRoot.getFileName().toString()).isEqualTo("quarantine");
            assertThat(Path.of(outcome.quarantine())).isEqualTo(quarantineRoot.resolve(hourDir));
            Map<String, List<String>> byReason = new TreeMap<>();
            for (JsonNode row : quarantined(outcome.quarantine())) {
                byReason.computeIfAbsent(row.get("reason").asText(), r -> new ArrayList<>())
                        .add(row.get("detail").asText() + " | " + row.get("line").asText());
            }
            assertThat(byReason).containsOnlyKeys("invalid_utf8", "control_character");
            assertThat(byReason.get("invalid_utf8")).containsExactly(
                    "geo is not valid UTF-8: byte 0xFF at byte offset 1 | " + good.replace("\tUS\t", "\tU\uFFFDS\t"));
            assertThat(byReason.get("control_character")).containsExactlyInAnyOrder(
                    "os contains control character U+0000 at offset 4 | " + good.replace("android", "andr\0oid"),
                    "ad_id contains control character U+007F at offset 2 | " + good.replace("\tad1\t", "\tad\u007F1\t"));

            // no stored key holds them: exactly the 7 good keys
            List<String> keys = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String row : Export.jsonLines(ctx).lines().toList()) {
                keys.add(json.readTree(row).get("key").asText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                expected.add("ad" + i + "|US|mobile|android|chrome|wifi");
            }
            assertThat(keys).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(String.join("\n", keys)).doesNotContain("\uFFFD").doesNotContain("\\x00")
                    .doesNotContain("\\x7F").doesNotContain("\u0000");
            defaultBefore = snapshot(quarantineRoot);
            assertThat(defaultBefore).containsKey(hourDir + "/_SUCCESS");
        }

        // `rank hourly --schema other` over the same input: its own quarantine, the default one untouched
        List<String> args = new ArrayList<>(List.of("hourly", "--dt", hour.day().toString(), "--hr", hour.hr(),
                "--schema", "other"));
        settings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        assertThat(RankCli.commandLine().execute(args.toArray(new String[0]))).isZero();
        Path otherRoot = quarantineRoot.resolve("schema=other");
        assertThat(quarantined(otherRoot.resolve(hourDir).toString())).extracting(r -> r.get("reason").asText())
                .containsExactlyInAnyOrder("invalid_utf8", "control_character", "control_character");
        Map<String, List<Object>> defaultAfter = snapshot(quarantineRoot);
        defaultAfter.keySet().removeIf(f -> f.startsWith("schema=other/"));
        assertThat(defaultAfter).isEqualTo(defaultBefore);
        try (RunContext other = new RunContext(AdrankConfig.load("local", settings).withSchema("other"))) {
            assertThat(other.config().input().quarantineDir()).isEqualTo(otherRoot.toString());
            assertThat(Export.jsonLines(other).lines()).hasSize(7);
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

    @Test
    void keysWithFaultyCountersGetNoResultAndAreQuarantinedWithTheReason(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("faultykey", Map.of())) {
            // ad1: conversion value on an impression, with no conversion to carry it (no world produces
            // that); ad2: consistent; ad3: a view-through conversion without any click (conversions 1 >
            // clicks 0) - that is data, not an error
            TestHours.writeHour(Path.of(ctx.config().input().path()), "2026-02-01", "08", List.of(
                    TestHours.line(TS, "imp", "ad1", "US", "chrome", 100, 5000),
                    TestHours.line(TS, "imp", "ad2", "US", "chrome", 100, 0),
                    TestHours.line(TS, "imp", "ad3", "US", "chrome", 100, 0),
                    TestHours.line(TS, "conv", "ad3", "US", "chrome", 0, 5000)));
            HourlyJob.run(ctx, new HourId(DAY, 8));
            // the daily fold's VPC update is where conversions per click must be a rate
            adrank.jobs.pipeline.DailyJob.Outcome outcome = adrank.jobs.pipeline.DailyJob.run(ctx, DAY);
            assertThat(outcome.results().faulty()).isEqualTo(1);
            assertThat(outcome.results().keys()).isEqualTo(2);
            List<JsonNode> faulty = quarantined(outcome.results().quarantine());
            assertThat(faulty).singleElement().satisfies(row -> {
                assertThat(row.get("key").asText()).startsWith("ad1|");
                assertThat(row.get("reason").asText()).isEqualTo("money_without_event");
                assertThat(row.get("detail").asText()).contains("valueMicros (5000) > 0 without any conversion");
            });
            String export = Export.jsonLines(ctx);
            String ad1 = export.lines().filter(l -> l.contains("\"key\":\"ad1|")).findFirst().orElseThrow();
            String ad2 = export.lines().filter(l -> l.contains("\"key\":\"ad2|")).findFirst().orElseThrow();
            String ad3 = export.lines().filter(l -> l.contains("\"key\":\"ad3|")).findFirst().orElseThrow();
            assertThat(ad1).contains("\"error\":").doesNotContain("\"rank\":");
            assertThat(ad2).contains("\"rank\":").doesNotContain("\"error\":");
            assertThat(ad3).contains("\"rank\":").doesNotContain("\"error\":");
        }
    }
}
