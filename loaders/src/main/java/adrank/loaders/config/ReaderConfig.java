package adrank.loaders.config;

import java.time.Duration;
import java.util.List;

/**
 * The ad servers' snapshot reader ({@code reader.*}).
 *
 * @param cacheTtl        how long a looked-up answer is served from the local cache before it is
 *                        read again (snapshots never change, so this only bounds how long a cold
 *                        key keeps memory; an expired answer is still served when the cluster is
 *                        unreachable)
 * @param cacheMaxEntries answers kept in the local cache
 * @param readTimeout     how long one lookup waits for the cluster before it falls back to the cache
 * @param controlRefresh  how often the reader re-reads the control entry besides following it with
 *                        a listener (a safety net for events a listener cannot see, e.g. a publish
 *                        to a restarted cluster before the listener was registered again there)
 * @param parentSegments  {@code rank.parents}: where a missing key falls back to only for a version
 *                        published before fallback rules were recorded with the version (any other
 *                        version uses its recorded {@link adrank.loaders.hazelcast.FallbackRule})
 * @param parentsNearCacheEntries parent entries the reader's client keeps in a Hazelcast near cache
 *                        in front of the parents maps (least recently used beyond it; 0: none)
 * @param parentsLocalMaxEntries a version's parents map with at most this many entries is copied whole
 *                        into the reader, which then falls back without a round trip (0: never)
 */
public record ReaderConfig(Duration cacheTtl, int cacheMaxEntries, Duration readTimeout,
        Duration controlRefresh, List<List<String>> parentSegments, int parentsNearCacheEntries,
        int parentsLocalMaxEntries) {

    public ReaderConfig {
        parentSegments = parentSegments.stream().map(List::copyOf).toList();
        if (parentsNearCacheEntries < 0) {
            throw new IllegalArgumentException("parentsNearCacheEntries must be >= 0, got " + parentsNearCacheEntries);
        }
        if (parentsLocalMaxEntries < 0) {
            throw new IllegalArgumentException("parentsLocalMaxEntries must be >= 0, got " + parentsLocalMaxEntries);
        }
    }

    /** Without a near cache in front of the parents maps, nor local copies of them: every parent is read. */
    public ReaderConfig(Duration cacheTtl, int cacheMaxEntries, Duration readTimeout, Duration controlRefresh,
            List<List<String>> parentSegments) {
        this(cacheTtl, cacheMaxEntries, readTimeout, controlRefresh, parentSegments, 0, 0);
    }

    /** This one with another cache ttl (0: every lookup reads the cluster). */
    public ReaderConfig withCacheTtl(Duration ttl) {
        return new ReaderConfig(ttl, cacheMaxEntries, readTimeout, controlRefresh, parentSegments,
                parentsNearCacheEntries, parentsLocalMaxEntries);
    }

    /** This one with other parent caching: a near cache of {@code nearCacheEntries}, local copies up to {@code localMax}. */
    public ReaderConfig withParents(int nearCacheEntries, int localMax) {
        return new ReaderConfig(cacheTtl, cacheMaxEntries, readTimeout, controlRefresh, parentSegments,
                nearCacheEntries, localMax);
    }

    /** The parent segments are {@code rank.parents} (used for versions without a recorded fallback rule). */
    static ReaderConfig from(Settings s, RankConfig rank) {
        return new ReaderConfig(
                s.duration("reader.cache-ttl", Duration.ZERO, Duration.ofDays(7)),
                s.intIn("reader.cache-max-entries", 1, 100_000_000),
                s.duration("reader.read-timeout", Duration.ofMillis(1), Duration.ofMinutes(1)),
                s.duration("reader.control-refresh", Duration.ofMillis(100), Duration.ofHours(1)),
                rank.parents(),
                s.intIn("reader.parents-near-cache-entries", 0, 100_000_000),
                s.intIn("reader.parents-local-max-entries", 0, 100_000_000));
    }
}
