package adrank.loaders.hazelcast;

import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The reader's local cache of answers, keyed by (snapshot, key), the snapshot being
 * {@code schema/vN} ({@link Routing#id}; B may be another schema's): an answer of one version can
 * never be served for another, so a switch needs no invalidation to stay correct (the old
 * version's answers are dropped to free memory).
 *
 * <p>Entries older than the ttl are not fresh but stay until evicted, so they can still be
 * served while the cluster is unreachable. Size is bounded: when an insert takes it above the
 * maximum, one thread sweeps, dropping expired entries first and then arbitrary ones (hash
 * order) down to 90 % of the maximum. Not LRU; a plain {@link ConcurrentHashMap} keeps reads
 * lock-free and needs no library (HBase already pins an old Caffeine on this classpath).
 */
final class SnapshotCache {

    /** What a lookup found: the entry (or null), and which parent segment answered (null: the key itself or nothing). */
    record Answer(SnapshotEntry entry, List<String> segment, String answeredBy) {
        static final Answer NOTHING = new Answer(null, null, null);
    }

    record Key(String snapshot, String key) {
    }

    record Cached(Answer answer, long storedAt) {
    }

    private final ConcurrentHashMap<Key, Cached> entries = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final ReentrantLock sweeping = new ReentrantLock();

    SnapshotCache(int maxEntries, long ttlNanos, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttlNanos;
        this.nanoClock = nanoClock;
    }

    Cached get(String snapshot, String key) {
        return entries.get(new Key(snapshot, key));
    }

    boolean fresh(Cached cached) {
        return nanoClock.getAsLong() - cached.storedAt() < ttlNanos;
    }

    void put(String snapshot, String key, Answer answer) {
        entries.put(new Key(snapshot, key), new Cached(answer, nanoClock.getAsLong()));
        if (entries.size() > maxEntries && sweeping.tryLock()) {
            try {
                sweep();
            } finally {
                sweeping.unlock();
            }
        }
    }

    /** Drops every answer of a snapshot not in {@code live}. */
    void retainVersions(Set<String> live) {
        entries.keySet().removeIf(k -> !live.contains(k.snapshot()));
    }

    int size() {
        return entries.size();
    }

    private void sweep() {
        long now = nanoClock.getAsLong();
        entries.values().removeIf(c -> now - c.storedAt() >= ttlNanos);
        int target = Math.max(1, maxEntries - maxEntries / 10);
        Iterator<Key> keys = entries.keySet().iterator();
        while (entries.size() > target && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
