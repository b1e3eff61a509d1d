package adrank.loaders.hazelcast;

import java.io.Serializable;

/**
 * Entry count and checksum (the wrapping sum of {@link SnapshotEntry#checksum}) of a set of
 * entries: what a loader wrote, what the source rows hold, or what a loaded map holds.
 * Order-independent and additive, so per-partition results simply {@link #plus} together
 * (e.g. a Spark {@code reduce}).
 */
public record LoadResult(long count, long checksum) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final LoadResult ZERO = new LoadResult(0, 0);

    /** One entry. */
    public static LoadResult of(String key, SnapshotEntry entry) {
        return new LoadResult(1, entry.checksum(key));
    }

    public LoadResult plus(LoadResult other) {
        return new LoadResult(count + other.count, checksum + other.checksum);
    }

    @Override
    public String toString() {
        return count + " entries, checksum " + hex(checksum);
    }

    /** A checksum as 16 hex digits, the way every report shows it. */
    public static String hex(long checksum) {
        return String.format("%016x", checksum);
    }
}
