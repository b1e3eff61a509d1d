package adrank.loaders.hazelcast;

import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.Counters;
import java.time.Instant;
import java.util.Map;

/**
 * Converts stored HBase rows into snapshot entries (what {@code rank publish} loads). A stored
 * number that is not finite (NaN, an infinity) or does not parse is refused with a
 * {@link SnapshotValueException} naming the key and the field: the publish fails instead of
 * loading it. An empty stored value is "none" and becomes an absent (null) value.
 */
public final class SnapshotRows {

    private SnapshotRows() {
    }

    /**
     * The snapshot entry of a stored key, or null when the key has no result (never computed, or
     * quarantined for faulty counters): such keys are left out, and lookups fall back to a parent.
     *
     * @throws SnapshotValueException if a stored number is not finite, or a required one is missing
     */
    public static SnapshotEntry entry(StoredRow row) {
        Map<String, String> r = row.results();
        String rank = r.get("rank");
        if (rank == null || rank.isEmpty()) {
            return null;
        }
        String what = "key '" + row.key() + "'";
        return new SnapshotEntry(required(what, r, "rank"), required(what, r, "weight"), optional(what, r, "cpm"),
                required(what, r, "parent_cpm"), optional(what, r, "vpc_mean"), optional(what, r, "vpc_lo"),
                optional(what, r, "vpc_hi"), Boolean.parseBoolean(r.get("drift_flag")),
                row.open().sum(),
                row.total() == null ? Counters.ZERO : row.total().counters(), epochMillis(r.get("computed_at")));
    }

    /**
     * The snapshot entry of a parent segment (stored columns of the parents table): its CPM is
     * the rank an ad server uses for a key missing from the snapshot, its counters (in
     * {@code total}) the impressions the fallback rule weighs. Null for a segment without a CPM
     * (no impressions): the rule never chooses one, so it is left out of the snapshot.
     *
     * @throws SnapshotValueException if a stored number is not finite
     */
    public static SnapshotEntry parent(String parentKey, Map<String, String> columns, long computedAt) {
        Double cpm = optional("parent '" + parentKey + "'", columns, "cpm");
        if (cpm == null) {
            return null;
        }
        return new SnapshotEntry(cpm, 0.0, cpm, cpm, null, null, null, false, Counters.ZERO,
                Counters.decode(columns.get("counters")), computedAt);
    }

    private static double required(String what, Map<String, String> columns, String name) {
        Double value = optional(what, columns, name);
        if (value == null) {
            throw new SnapshotValueException("cannot publish " + what + ": its result has no " + name);
        }
        return value;
    }

    private static Double optional(String what, Map<String, String> columns, String name) {
        String text = columns.get(name);
        if (text == null || text.isEmpty()) {
            return null;
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new SnapshotValueException("cannot publish " + what + ": " + name + " = '" + text
                    + "' is not a number", e);
        }
        if (!Double.isFinite(value)) {
            throw new SnapshotValueException("cannot publish " + what + ": " + name + " = " + text
                    + " is not a finite number (a snapshot holds finite numbers only; none is stored as empty)");
        }
        return value;
    }

    /**
     * The instant's epoch millis. A run stamps every key it ranks with one {@code computed_at}, so the last text
     * parsed (per thread) is almost always the next one: parsing it for every row was a sixth of a publish's
     * conversion time (JFR, seed scale).
     */
    private static long epochMillis(String instant) {
        if (instant == null || instant.isEmpty()) {
            return 0;
        }
        ParsedInstant last = LAST_INSTANT.get();
        if (last != null && last.text().equals(instant)) {
            return last.millis();
        }
        long millis = Instant.parse(instant).toEpochMilli();
        LAST_INSTANT.set(new ParsedInstant(instant, millis));
        return millis;
    }

    private record ParsedInstant(String text, long millis) {
    }

    private static final ThreadLocal<ParsedInstant> LAST_INSTANT = new ThreadLocal<>();
}
