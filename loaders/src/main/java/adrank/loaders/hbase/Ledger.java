package adrank.loaders.hbase;

import adrank.udfs.result.ResultsBasis;

import adrank.udfs.stats.DayId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The run ledger: one HBase row per run attempt, written when the run starts (RUNNING) and again
 * when it ends (SUCCEEDED / FAILED). Row key {@code hour|yyyyMMdd|HH|runId} or
 * {@code day|yyyyMMdd|runId}. A run id is its write version (from the writer lock, see
 * {@link adrank.udfs.run.WriteOrder}) written as a UTC time, so ids sort by write version, not by
 * any driver's clock: the last row of a unit's prefix is its latest attempt.
 */
public final class Ledger {

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Column {@code results} of an hour applied without the result stage (absent or empty: it ran). */
    private static final String RESULTS_DEFERRED = "deferred";

    /**
     * The row of the results basis ({@link ResultsBasis}): the full result stage incremental hours rank against.
     * Written with HBase's own timestamps like the attempts (puts only, so the newest put wins).
     */
    static final byte[] BASIS_ROW = Bytes.toBytes("results|basis");
    private static final byte[] BASIS = Bytes.toBytes("basis");

    private final Connection connection;
    private final RankSchema schema;

    public Ledger(Connection connection, RankSchema schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /**
     * The run id of an attempt that writes with {@code writeVersion}: the version as a UTC time
     * to the millisecond. Versions are distinct per schema, so ids are unique and sort as the
     * versions do.
     */
    public static String runId(long writeVersion) {
        return RUN_ID.format(Instant.ofEpochMilli(writeVersion));
    }

    /** The ledger row of an attempt (what the writer lock names as its holder's attempt). */
    public static String rowKey(RunUnit unit, String runId) {
        return unit.rowPrefix() + runId;
    }

    /**
     * Records as FAILED an attempt that is still RUNNING although its run lost the writer lock
     * without releasing it (killed, or cut off from HBase): called by the run that took the lock
     * over, so no phantom RUNNING attempt blocks a fold. An attempt that recorded its end is left
     * as it is.
     *
     * @return the attempt as now recorded FAILED, or empty when there was nothing to end (no row, or the attempt
     *         had recorded its own end: every released lock still names its last attempt)
     */
    public Optional<RunRecord> endAbandoned(String rowKey, String why) throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            Result row = table.get(new org.apache.hadoop.hbase.client.Get(Bytes.toBytes(rowKey)));
            if (row.isEmpty()) {
                return Optional.empty();
            }
            RunRecord run = decode(row);
            if (!RunRecord.RUNNING.equals(run.status())) {
                return Optional.empty();
            }
            RunRecord ended = run.finished(RunRecord.FAILED, 0, run.rowsIn(), run.rowsBad(), run.badReasons(), 0, 0, why);
            record(ended);
            return Optional.of(ended);
        }
    }

    public void record(RunRecord run) throws IOException {
        Put put = new Put(Bytes.toBytes(rowKey(run.unit(), run.runId())));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", run.unit().kind());
        fields.put("dt", run.unit().day().toString());
        fields.put("hr", run.unit().hour() == null ? "" : String.valueOf(run.unit().hour()));
        fields.put("run_id", run.runId());
        fields.put("status", run.status());
        fields.put("started_at", run.startedAt().toString());
        fields.put("duration_ms", String.valueOf(run.durationMs()));
        fields.put("rows_in", String.valueOf(run.rowsIn()));
        fields.put("rows_bad", String.valueOf(run.rowsBad()));
        fields.put("bad_reasons", encodeReasons(run.badReasons()));
        fields.put("keys_written", String.valueOf(run.keysWritten()));
        fields.put("keys_removed", String.valueOf(run.keysRemoved()));
        fields.put("write_version", String.valueOf(run.writeVersion()));
        fields.put("input", run.input() == null ? "" : run.input());
        fields.put("message", run.message() == null ? "" : run.message());
        fields.put("results", run.resultsDeferred() ? RESULTS_DEFERRED : "");
        for (Map.Entry<String, String> f : fields.entrySet()) {
            put.addColumn(RankSchema.LEDGER, Bytes.toBytes(f.getKey()), Bytes.toBytes(f.getValue()));
        }
        try (Table table = connection.getTable(schema.ledger())) {
            table.put(put);
        }
    }

    /**
     * The basis of incremental results: the last full result stage that completed, unless a full stage started
     * since ({@link #clearResultsBasis}) and did not complete.
     */
    public Optional<ResultsBasis> resultsBasis() throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            byte[] value = table.get(new org.apache.hadoop.hbase.client.Get(BASIS_ROW).addColumn(RankSchema.LEDGER, BASIS))
                    .getValue(RankSchema.LEDGER, BASIS);
            if (value == null || value.length == 0) {
                return Optional.empty();
            }
            return Optional.of(ResultsBasis.decode(Bytes.toString(value)));
        }
    }

    /** Records the basis (after a full result stage completed, or an incremental hour added its impressions). */
    public void recordResultsBasis(ResultsBasis basis) throws IOException {
        putBasis(basis.encode());
    }

    /**
     * Forgets the basis before a full result stage rewrites the parents table: until the stage completes, the
     * parents are partly its own, so no hour may rank against them.
     */
    public void clearResultsBasis() throws IOException {
        putBasis("");
    }

    private void putBasis(String value) throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            table.put(new Put(BASIS_ROW).addColumn(RankSchema.LEDGER, BASIS, Bytes.toBytes(value)));
        }
    }

    /** Every attempt of a unit, oldest first. */
    public List<RunRecord> attempts(RunUnit unit) throws IOException {
        return scan(new Scan().setStartStopRowForPrefixScan(Bytes.toBytes(unit.rowPrefix())));
    }

    /** The latest attempt of a unit. */
    public Optional<RunRecord> latest(RunUnit unit) throws IOException {
        List<RunRecord> all = attempts(unit);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Every attempt, or those of one day, ordered by unit then start. */
    public List<RunRecord> list(LocalDate day) throws IOException {
        if (day == null) {
            return scan(new Scan());
        }
        List<RunRecord> runs = new ArrayList<>();
        for (String kind : List.of(RunUnit.DAY, RunUnit.HOUR)) {
            runs.addAll(scan(new Scan().setStartStopRowForPrefixScan(Bytes.toBytes(kind + "|" + DayId.of(day) + "|"))));
        }
        return runs;
    }

    /** The latest attempt of every unit, ordered by unit. */
    public List<RunRecord> latestPerUnit(LocalDate day) throws IOException {
        Map<String, RunRecord> latest = new TreeMap<>();
        for (RunRecord run : list(day)) {
            latest.put(run.unit().rowPrefix(), run);
        }
        List<RunRecord> result = new ArrayList<>(latest.values());
        result.sort(Comparator.comparing((RunRecord r) -> r.unit().day())
                .thenComparing(r -> r.unit().kind().equals(RunUnit.DAY) ? 24 : r.unit().hour()));
        return result;
    }

    /** The newest day with a successful daily fold, if any. */
    public Optional<LocalDate> lastFoldedDay() throws IOException {
        LocalDate newest = null;
        for (RunRecord run : scan(new Scan().setStartStopRowForPrefixScan(Bytes.toBytes(RunUnit.DAY + "|")))) {
            if (run.succeeded() && (newest == null || run.unit().day().isAfter(newest))) {
                newest = run.unit().day();
            }
        }
        return Optional.ofNullable(newest);
    }

    /** Whether {@code day} has been folded: a daily run of it succeeded (its state holds the day as folded). */
    public boolean folded(LocalDate day) throws IOException {
        return attempts(RunUnit.day(day)).stream().anyMatch(RunRecord::succeeded);
    }

    /**
     * Days in {@code [from, before)} with at least one applied hour attempt but no successful
     * daily fold, oldest first: the days a fold of {@code before} must fold first so that their
     * open counters are never dropped.
     */
    public List<LocalDate> unfoldedDays(LocalDate from, LocalDate before) throws IOException {
        java.util.TreeSet<LocalDate> withHours = new java.util.TreeSet<>();
        Scan hours = new Scan().withStartRow(Bytes.toBytes(RunUnit.HOUR + "|" + DayId.of(from) + "|"))
                .withStopRow(Bytes.toBytes(RunUnit.HOUR + "|" + DayId.of(before) + "|"));
        for (RunRecord run : scan(hours)) {
            withHours.add(run.unit().day());
        }
        List<LocalDate> unfolded = new ArrayList<>();
        for (LocalDate day : withHours) {
            if (!folded(day)) {
                unfolded.add(day);
            }
        }
        return unfolded;
    }

    private List<RunRecord> scan(Scan scan) throws IOException {
        List<RunRecord> runs = new ArrayList<>();
        try (Table table = connection.getTable(schema.ledger()); ResultScanner scanner = table.getScanner(scan)) {
            for (Result result : scanner) {
                // the lock and the results basis share the table
                if (!Bytes.startsWith(result.getRow(), WriterLock.ROW) && !Bytes.equals(result.getRow(), BASIS_ROW)) {
                    runs.add(decode(result));
                }
            }
        }
        return runs;
    }

    private static RunRecord decode(Result r) {
        String hr = get(r, "hr");
        LocalDate dt = LocalDate.parse(get(r, "dt"));
        RunUnit unit = new RunUnit(get(r, "kind"), dt, hr.isEmpty() ? null : Integer.parseInt(hr));
        return new RunRecord(unit, get(r, "run_id"), get(r, "status"), Instant.parse(get(r, "started_at")),
                Long.parseLong(get(r, "duration_ms")), Long.parseLong(get(r, "rows_in")),
                Long.parseLong(get(r, "rows_bad")), decodeReasons(get(r, "bad_reasons")),
                Long.parseLong(get(r, "keys_written")), Long.parseLong(get(r, "keys_removed")),
                writeVersion(r), get(r, "input"), get(r, "message"), RESULTS_DEFERRED.equals(get(r, "results")));
    }

    /** The attempt's write version; attempts recorded before versions existed kept their cell timestamp. */
    private static long writeVersion(Result r) {
        String version = get(r, "write_version");
        return Long.parseLong(version.isEmpty() ? get(r, "write_ts") : version);
    }

    private static String get(Result r, String column) {
        byte[] value = r.getValue(RankSchema.LEDGER, Bytes.toBytes(column));
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }

    private static String encodeReasons(Map<String, Long> reasons) {
        StringBuilder out = new StringBuilder();
        new TreeMap<>(reasons).forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return out.toString();
    }

    private static Map<String, Long> decodeReasons(String encoded) {
        Map<String, Long> reasons = new TreeMap<>();
        if (!encoded.isEmpty()) {
            for (String pair : encoded.split(",")) {
                int eq = pair.indexOf('=');
                reasons.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
            }
        }
        return reasons;
    }
}
