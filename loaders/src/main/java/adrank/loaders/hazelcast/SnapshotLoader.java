package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes entries into one snapshot map of a publish (its entries or its parents map), in
 * batches of {@code publish.batch-size} with {@code setAll}, and returns the count and checksum
 * of what it wrote. Serializable and self-contained, so a Spark job can ship it to executors
 * and call {@link #load(Iterator)} once per partition; sum the results with
 * {@link LoadResult#plus} and hand the total to {@link SnapshotPublisher#commit}.
 *
 * <p>Obtain one from {@link Publication#entriesLoader} or {@link Publication#parentsLoader}.
 * A key that appears twice is counted twice but stored once, so the commit's verification
 * catches it.
 */
public final class SnapshotLoader implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HazelcastConfig hazelcast;
    private final String mapName;
    private final int batchSize;

    SnapshotLoader(HazelcastConfig hazelcast, String mapName, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.hazelcast = hazelcast;
        this.mapName = mapName;
        this.batchSize = batchSize;
    }

    public String mapName() {
        return mapName;
    }

    /**
     * Executor side: opens its own client (from the configuration this loader carries), loads
     * every entry, closes the client. An empty iterator opens nothing.
     */
    public LoadResult load(Iterator<? extends Map.Entry<String, SnapshotEntry>> entries) {
        if (!entries.hasNext()) {
            return LoadResult.ZERO;
        }
        HazelcastInstance client = HazelcastClients.connect(hazelcast);
        try {
            return load(client, entries);
        } finally {
            client.shutdown();
        }
    }

    /** Loads through an existing client (the driver, tests). */
    public LoadResult load(HazelcastInstance client, Iterator<? extends Map.Entry<String, SnapshotEntry>> entries) {
        IMap<String, SnapshotEntry> map = client.getMap(mapName);
        Map<String, SnapshotEntry> batch = new HashMap<>(batchSize * 2);
        long count = 0;
        long checksum = 0;
        while (entries.hasNext()) {
            Map.Entry<String, SnapshotEntry> entry = entries.next();
            batch.put(entry.getKey(), entry.getValue());
            count++;
            checksum += entry.getValue().checksum(entry.getKey());
            if (batch.size() == batchSize) {
                map.setAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            map.setAll(batch);
        }
        return new LoadResult(count, checksum);
    }
}
