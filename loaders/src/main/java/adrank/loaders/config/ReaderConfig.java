package adrank.loaders.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The ad servers' snapshot reader ({@code reader.*}).
 *
 * @param cacheTtl        how long a looked-up answer is served from the local cache before it is
 *                        read again (snapshots never change, so this only bounds how long a cold
 *                        key keeps memory; an expired answer is still served when the cluster is
 *                        unreachable)
 * @param cacheMaxEntries answers kept in the local cache
 * @param readTimeout     how long one lookup waits for the cluster before it falls back to the cache
 * @param parentSegments  where a missing key falls back to, in order: each a subset of
 *                        {@code key.dimensions} ({@code []} is the global average)
 */
public record ReaderConfig(Duration cacheTtl, int cacheMaxEntries, Duration readTimeout,
        List<List<String>> parentSegments) {

    public ReaderConfig {
        parentSegments = parentSegments.stream().map(List::copyOf).toList();
    }

    static ReaderConfig from(Settings s) {
        List<String> dimensions = s.stringList("key.dimensions");
        List<List<String>> segments = s.stringLists("reader.parent-segments");
        Set<Set<String>> seen = new HashSet<>();
        for (List<String> segment : segments) {
            for (String dimension : segment) {
                if (!dimensions.contains(dimension)) {
                    throw new ConfigError("reader.parent-segments: " + segment + " names '" + dimension
                            + "', which is not one of key.dimensions " + dimensions);
                }
            }
            Set<String> set = new HashSet<>(segment);
            if (set.size() != segment.size()) {
                throw new ConfigError("reader.parent-segments: " + segment + " repeats a dimension");
            }
            if (set.size() == dimensions.size()) {
                throw new ConfigError("reader.parent-segments: " + segment
                        + " keeps every key dimension, so it is the key itself, not a parent");
            }
            if (!seen.add(set)) {
                throw new ConfigError("reader.parent-segments lists " + segment + " twice");
            }
        }
        return new ReaderConfig(
                s.duration("reader.cache-ttl", Duration.ZERO, Duration.ofDays(7)),
                s.intIn("reader.cache-max-entries", 1, 100_000_000),
                s.duration("reader.read-timeout", Duration.ofMillis(1), Duration.ofMinutes(1)),
                new ArrayList<>(segments));
    }
}
