package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes entries into one snapshot map of a publish (its entries or its parents map), in
 * batches of {@code publish.batch-size} with {@code setAll}, and returns the count and checksum
 * of what it wrote. Serializable and self-contained, so a Spark job can ship it to executors
 * and call {@link #load(Iterator)} once per partition; sum the results with
 * {@link LoadResult#plus} and hand the total to {@link SnapshotPublisher#commit}.
 *
 * <p>A loader that throws (or whose process dies) leaves a partial map behind; the version
 * stays LOADING until the driver calls {@link SnapshotPublisher#fail} or the next publish
 * begins, and is never read meanwhile.
 *
 * <p>Obtain one from {@link Publication#entriesLoader} or {@link Publication#parentsLoader}.
 * A key that appears twice is counted twice but stored once, so the commit's verification
 * catches it.
 */
public final class SnapshotLoader implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoader.class);

    /** Batches sent before the loader waits for the oldest one. */
    private static final int IN_FLIGHT = 4;

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

    /**
     * Loads through an existing client (the driver, tests). Up to {@value #IN_FLIGHT} batches are
     * in flight at once, so the loader keeps the members busy instead of waiting out each round
     * trip; it returns only when every batch has been acknowledged.
     */
    public LoadResult load(HazelcastInstance client, Iterator<? extends Map.Entry<String, SnapshotEntry>> entries) {
        IMap<String, SnapshotEntry> map = client.getMap(mapName);
        Deque<CompletableFuture<Void>> inFlight = new ArrayDeque<>();
        Map<String, SnapshotEntry> batch = new HashMap<>(batchSize * 2);
        long count = 0;
        long checksum = 0;
        // where a loader's time goes (the source: HBase scan and decoding; the member: waiting for acks)
        long started = System.nanoTime();
        long waiting = 0;
        try {
            while (entries.hasNext()) {
                Map.Entry<String, SnapshotEntry> entry = entries.next();
                batch.put(entry.getKey(), entry.getValue());
                count++;
                checksum += entry.getValue().checksum(entry.getKey());
                if (batch.size() == batchSize) {
                    waiting += send(map, batch, inFlight);
                    batch = new HashMap<>(batchSize * 2);
                }
            }
            if (!batch.isEmpty()) {
                waiting += send(map, batch, inFlight);
            }
            long drained = System.nanoTime();
            while (!inFlight.isEmpty()) {
                inFlight.removeFirst().join();
            }
            waiting += System.nanoTime() - drained;
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        } finally {
            inFlight.forEach(f -> f.cancel(false));
        }
        long total = System.nanoTime() - started;
        LOG.info("loaded {} entries into {} in {} ms: {} ms reading and converting the source, {} ms waiting for "
                + "the members", count, mapName, total / 1_000_000, (total - waiting) / 1_000_000, waiting / 1_000_000);
        return new LoadResult(count, checksum);
    }

    /** Sends a batch, first waiting for the oldest one when {@value #IN_FLIGHT} are in flight; the nanos waited. */
    private static long send(IMap<String, SnapshotEntry> map, Map<String, SnapshotEntry> batch,
            Deque<CompletableFuture<Void>> inFlight) {
        long waited = 0;
        if (inFlight.size() >= IN_FLIGHT) {
            long t0 = System.nanoTime();
            inFlight.removeFirst().join();
            waited = System.nanoTime() - t0;
        }
        inFlight.addLast(map.setAllAsync(batch).toCompletableFuture());
        return waited;
    }
}
