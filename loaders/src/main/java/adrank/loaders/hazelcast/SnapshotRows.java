package adrank.loaders.hazelcast;

import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.Counters;
import java.time.Instant;
import java.util.Map;

/** Converts stored HBase rows into snapshot entries (what {@code rank publish} loads). */
public final class SnapshotRows {

    private SnapshotRows() {
    }

    /**
     * The snapshot entry of a stored key, or null when the key has no result (never computed, or
     * quarantined for faulty counters): such keys are left out, and lookups fall back to a parent.
     */
    public static SnapshotEntry entry(StoredRow row) {
        Map<String, String> r = row.results();
        String rank = r.get("rank");
        if (rank == null || rank.isEmpty()) {
            return null;
        }
        return new SnapshotEntry(Double.parseDouble(rank), number(r.get("weight")), number(r.get("cpm")),
                number(r.get("parent_cpm")), number(r.get("vpc_mean")), number(r.get("vpc_lo")),
                number(r.get("vpc_hi")), Boolean.parseBoolean(r.get("drift_flag")),
                row.open().sum(),
                row.total() == null ? Counters.ZERO : row.total().counters(), epochMillis(r.get("computed_at")));
    }

    /**
     * The snapshot entry of a parent segment (stored columns of the parents table): its CPM is
     * the rank an ad server uses for a key missing from the snapshot.
     */
    public static SnapshotEntry parent(Map<String, String> columns, long computedAt) {
        double cpm = number(columns.get("cpm"));
        return new SnapshotEntry(cpm, 0.0, cpm, cpm, Double.NaN, Double.NaN, Double.NaN, false, Counters.ZERO,
                Counters.decode(columns.get("counters")), computedAt);
    }

    private static double number(String text) {
        return text == null || text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    private static long epochMillis(String instant) {
        return instant == null || instant.isEmpty() ? 0 : Instant.parse(instant).toEpochMilli();
    }
}
