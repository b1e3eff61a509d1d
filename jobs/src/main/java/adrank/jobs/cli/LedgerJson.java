package adrank.jobs.cli;

import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionInfo;
import adrank.loaders.hbase.RunRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable forms of {@code rank status --json} and {@code rank versions list --json}:
 * one JSON object per line, with field names that are part of the interface (README "Machine-
 * readable status"): new fields may be added, none renamed or removed. Times are UTC ISO-8601,
 * absent values JSON null.
 */
final class LedgerJson {

    private LedgerJson() {
    }

    /** One run attempt of the ledger. */
    static String attempt(RunRecord r, String schema) {
        ObjectNode json = RowJson.MAPPER.createObjectNode();
        json.put("schema", schema);
        json.put("kind", r.unit().kind());
        json.put("dt", r.unit().day().toString());
        if (r.unit().hour() == null) {
            json.putNull("hr");
        } else {
            json.put("hr", r.unit().hour());
        }
        json.put("run_id", r.runId());
        json.put("status", r.status());
        json.put("started_at", r.startedAt().toString());
        json.put("duration_ms", r.durationMs());
        json.put("rows_in", r.rowsIn());
        json.put("rows_quarantined", r.rowsBad());
        ObjectNode reasons = json.putObject("quarantined_by_reason");
        // in reason order: the record's map has none, and the same attempt must print the same line
        for (Map.Entry<String, Long> e : new TreeMap<>(r.badReasons()).entrySet()) {
            reasons.put(e.getKey(), e.getValue());
        }
        json.put("keys_written", r.keysWritten());
        json.put("keys_removed", r.keysRemoved());
        json.put("write_version", r.writeVersion());
        putText(json, "input", r.input());
        putText(json, "message", r.message());
        // added with deferred backfill results: true for an hour applied without the result stage
        json.put("results_deferred", r.resultsDeferred());
        return write(json);
    }

    /** One snapshot version of a schema, with its role (active, B of an A/B split, or none). */
    static String version(VersionControl.VersionRow row, String schema) {
        VersionInfo v = row.info();
        ObjectNode json = RowJson.MAPPER.createObjectNode();
        json.put("schema", schema);
        json.put("version", v.version());
        putText(json, "role", row.role());
        json.put("state", v.state().name());
        json.put("entries", v.entries());
        json.put("checksum", LoadResult.hex(v.checksum()));
        json.put("parent_entries", v.parentEntries());
        json.put("created_at", Instant.ofEpochMilli(v.createdAt()).toString());
        if (v.readyAt() == 0) {
            json.putNull("ready_at");
        } else {
            json.put("ready_at", Instant.ofEpochMilli(v.readyAt()).toString());
        }
        putText(json, "note", v.note());
        putText(json, "why_not_active", row.whyNotActive());
        return write(json);
    }

    private static void putText(ObjectNode json, String field, String text) {
        if (text == null || text.isEmpty()) {
            json.putNull(field);
        } else {
            json.put(field, text);
        }
    }

    private static String write(ObjectNode json) {
        try {
            return RowJson.MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
