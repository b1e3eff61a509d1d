package adrank.loaders.hazelcast;

import com.hazelcast.aggregation.Aggregators;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads one READY snapshot version ({@code rank.<schema>.v<N>}) for a comparison, never the whole
 * map at once: {@link #iterator} walks it partition by partition fetching {@code fetchSize} entries
 * a round trip (Hazelcast's {@code IMap.iterator(int)}), {@link #getAll} looks a batch of keys up,
 * {@link #totals} sums impressions and revenue on the members. A version is immutable once READY,
 * but retention may destroy it while it is read: {@link #requireUnchanged} checks at the end that it
 * is still there with the same entry count, so a comparison never reports a half-read map.
 *
 * <p>Entries of older Compact forms that read as no entry (see
 * {@link SnapshotSerialization.SnapshotEntrySerializer}) are skipped by the iterator and absent
 * from {@link #getAll}.
 */
public final class SnapshotScan {

    private final HazelcastInstance client;
    private final String schema;
    private final int version;
    private final String role;
    private final VersionInfo info;
    private final IMap<String, SnapshotEntry> map;
    private final long size;

    private SnapshotScan(HazelcastInstance client, String schema, int version, String role, VersionInfo info,
            IMap<String, SnapshotEntry> map, long size) {
        this.client = client;
        this.schema = schema;
        this.version = version;
        this.role = role;
        this.info = info;
        this.map = map;
        this.size = size;
    }

    /**
     * Opens version {@code ref} of {@code schema}.
     *
     * @throws VersionControlException if the schema was never published, the version is unknown or not
     *                                 READY, or its map is gone
     */
    public static SnapshotScan open(HazelcastInstance client, String schema, VersionRef ref) {
        IMap<String, VersionControl> controls = client.getMap(SnapshotMaps.CONTROL);
        VersionControl control = controls.get(schema);
        if (control == null) {
            throw new VersionControlException("schema " + schema + " was never published (no control record in "
                    + SnapshotMaps.CONTROL + ")");
        }
        int version = ref.resolve(control);
        String name = SnapshotMaps.entries(schema, version);
        // getMap would create a missing map: check it exists first
        if (!exists(client, name)) {
            throw new VersionControlException("schema " + schema + ": v" + version + " is READY but its map " + name
                    + " does not exist (destroyed by retention or a wiped cluster)");
        }
        IMap<String, SnapshotEntry> map = client.getMap(name);
        return new SnapshotScan(client, schema, version, control.role(version), control.version(version)
                .orElseThrow(), map, map.size());
    }

    private static boolean exists(HazelcastInstance client, String name) {
        for (DistributedObject o : client.getDistributedObjects()) {
            if (o instanceof IMap<?, ?> && o.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    public String schema() {
        return schema;
    }

    public int version() {
        return version;
    }

    /** "active", "B", "previous" or "" when it was opened. */
    public String role() {
        return role;
    }

    /** The version's control record entry (entry count, checksum, times, fallback rule). */
    public VersionInfo info() {
        return info;
    }

    /** Entries in the map when it was opened. */
    public long size() {
        return size;
    }

    /** E.g. {@code schema default v3 (active)}. */
    public String describe() {
        return "schema " + schema + " v" + version + (role.isEmpty() ? "" : " (" + role + ")");
    }

    /** Every entry, fetched {@code fetchSize} at a time; entries that read as none are skipped. */
    public Iterator<Map.Entry<String, SnapshotEntry>> iterator(int fetchSize) {
        Iterator<Map.Entry<String, SnapshotEntry>> all = map.iterator(fetchSize);
        return new Iterator<>() {
            private Map.Entry<String, SnapshotEntry> next = advance();

            private Map.Entry<String, SnapshotEntry> advance() {
                while (all.hasNext()) {
                    Map.Entry<String, SnapshotEntry> e = all.next();
                    if (e.getValue() != null) {
                        return e;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Map.Entry<String, SnapshotEntry> next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Map.Entry<String, SnapshotEntry> out = next;
                next = advance();
                return out;
            }
        };
    }

    /** The entries of those keys that the version holds (one round trip per member). */
    public Map<String, SnapshotEntry> getAll(Set<String> keys) {
        Map<String, SnapshotEntry> found = new java.util.HashMap<>(); // the client's answer is read-only
        map.getAll(keys).forEach((k, v) -> {
            if (v != null) {
                found.put(k, v);
            }
        });
        return found;
    }

    /**
     * Impressions and revenue (total-to-limit + today) summed over every entry, computed on the members
     * (Compact fields are read where the data lives; only the sums travel).
     */
    public Totals totals() {
        long imps = map.aggregate(Aggregators.longSum("totalImps")) + map.aggregate(Aggregators.longSum("todayImps"));
        long revenue = map.aggregate(Aggregators.longSum("totalRevenueMicros"))
                + map.aggregate(Aggregators.longSum("todayRevenueMicros"));
        return new Totals(size, imps, revenue);
    }

    /**
     * Fails when the version was destroyed or its entry count changed since {@link #open} (retention
     * of a publish that ran meanwhile): what was read would be a part of the map.
     *
     * @throws VersionControlException naming what changed
     */
    public void requireUnchanged() {
        VersionControl control = client.<String, VersionControl>getMap(SnapshotMaps.CONTROL).get(schema);
        boolean listed = control != null && control.version(version).map(v -> v.state() == VersionState.READY)
                .orElse(false);
        if (!listed || !exists(client, map.getName())) {
            throw new VersionControlException("schema " + schema + ": v" + version + " was dropped while it was read "
                    + "(retention of a newer publish?); the comparison is incomplete, run it again");
        }
        long now = map.size();
        if (now != size) {
            throw new VersionControlException("schema " + schema + ": v" + version + " held " + size
                    + " entries when the comparison began and " + now + " at its end; run it again");
        }
    }

    /**
     * Sums over a whole version.
     *
     * @param entries      entries
     * @param impressions  total-to-limit + today impressions
     * @param revenueMicros total-to-limit + today revenue
     */
    public record Totals(long entries, long impressions, long revenueMicros) {
    }
}
