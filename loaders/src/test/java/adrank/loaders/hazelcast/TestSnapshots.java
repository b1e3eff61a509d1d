package adrank.loaders.hazelcast;

import adrank.udfs.key.ParentKeys;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.stats.Counters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deterministic snapshot rows for tests: values depend on the key index and a per-version seed. */
final class TestSnapshots {

    static final String[] GEOS = {"MX", "US", "BR", "DE", "JP"};
    static final String[] DEVICES = {"mobile", "desktop", "tablet"};
    private static final ImpressionKey CODEC = new ImpressionKey('|');

    private TestSnapshots() {
    }

    static List<String> components(int i) {
        return List.of("a" + i, GEOS[i % GEOS.length], DEVICES[(i / 5) % DEVICES.length], "os" + (i % 4),
                "b" + (i % 3), i % 2 == 0 ? "wifi" : "4g");
    }

    static String key(int i) {
        return CODEC.encode(components(i));
    }

    /** A distinct entry per (i, seed); {@code rank} encodes both so a read can say which version wrote it. */
    static SnapshotEntry entry(int i, int seed) {
        return new SnapshotEntry(seed * 1_000_000.0 + i, (i % 100) / 100.0, i % 10 == 0 ? null : i * 1.5,
                seed + 0.25, i % 7 == 0 ? null : i * 0.01, i % 7 == 0 ? null : i * 0.005,
                i % 7 == 0 ? null : i * 0.02, i % 13 == 0,
                new Counters(i, i / 10, i / 100, i * 10L, i * 20L),
                new Counters(i * 5L, i / 2, i / 20, i * 50L, i * 100L), 1_700_000_000_000L + seed);
    }

    /** Keys 0..n-1 of a version. */
    static Map<String, SnapshotEntry> rows(int n, int seed) {
        Map<String, SnapshotEntry> rows = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            rows.put(key(i), entry(i, seed));
        }
        return rows;
    }

    /** The source-side count and checksum of rows. */
    static LoadResult expected(Map<String, SnapshotEntry> rows) {
        LoadResult total = LoadResult.ZERO;
        for (Map.Entry<String, SnapshotEntry> row : rows.entrySet()) {
            total = total.plus(LoadResult.of(row.getKey(), row.getValue()));
        }
        return total;
    }

    /** Rows split into {@code parts} iterators, as Spark partitions would be. */
    static List<Iterator<Map.Entry<String, SnapshotEntry>>> partitions(Map<String, SnapshotEntry> rows, int parts) {
        List<List<Map.Entry<String, SnapshotEntry>>> lists = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            lists.add(new ArrayList<>());
        }
        int i = 0;
        for (Map.Entry<String, SnapshotEntry> row : rows.entrySet()) {
            lists.get(i++ % parts).add(row);
        }
        return lists.stream().map(List::iterator).toList();
    }

    /** A full publish through the loaders: {@code n} entries and a few parents, all seeded with {@code seed}. */
    static PublishResult publish(SnapshotPublisher publisher, HazelcastCluster.Cluster cluster, String schema, int n,
            int seed) {
        Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
        Map<String, SnapshotEntry> rows = rows(n, seed);
        LoadResult loaded = LoadResult.ZERO;
        for (Iterator<Map.Entry<String, SnapshotEntry>> partition : partitions(rows, 3)) {
            loaded = loaded.plus(publication.entriesLoader(cluster.clientConfig()).load(cluster.client, partition));
        }
        Map<String, SnapshotEntry> parents = parents(seed);
        LoadResult loadedParents = publication.parentsLoader(cluster.clientConfig())
                .load(cluster.client, parents.entrySet().iterator());
        return publisher.commit(publication, loaded, loadedParents);
    }

    /** A publish of given entries and parents that records {@code fallback}. */
    static PublishResult publish(HazelcastCluster.Cluster cluster, String schema, FallbackRule fallback,
            Map<String, SnapshotEntry> entries, Map<String, SnapshotEntry> parents) {
        SnapshotPublisher publisher = cluster.publisher(5);
        Publication publication = publisher.begin(schema, fallback);
        LoadResult loaded = publication.entriesLoader(cluster.clientConfig())
                .load(cluster.client, entries.entrySet().iterator());
        LoadResult loadedParents = publication.parentsLoader(cluster.clientConfig())
                .load(cluster.client, parents.entrySet().iterator());
        return publisher.commit(publication, loaded, loadedParents);
    }

    /** Parents: every geo, every (geo, device), and the global average. */
    static Map<String, SnapshotEntry> parents(int seed) {
        ParentKeys keys = new ParentKeys(HazelcastCluster.KEY.dimensions(), '|');
        Map<String, SnapshotEntry> parents = new LinkedHashMap<>();
        int i = 0;
        for (String geo : GEOS) {
            for (String device : DEVICES) {
                List<String> components = List.of("x", geo, device, "o", "b", "c");
                parents.put(keys.of(components, List.of("geo", "device")), entry(900_000 + i++, seed));
            }
        }
        parents.put(ParentKeys.GLOBAL, entry(999_999, seed));
        return parents;
    }
}
