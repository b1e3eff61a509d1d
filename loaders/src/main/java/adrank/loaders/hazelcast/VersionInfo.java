package adrank.loaders.hazelcast;

/**
 * What the control record knows about one version of a schema's snapshot.
 *
 * @param version        the version number N (maps {@code rank.<schema>.v<N>} and {@code .parents.v<N>})
 * @param state          LOADING, READY or FAILED
 * @param entries        verified entry count (0 until READY)
 * @param checksum       verified checksum of the entries
 * @param parentEntries  verified parent entry count
 * @param parentChecksum verified checksum of the parents
 * @param createdAt      when the publish began (epoch ms)
 * @param readyAt        when it was verified (epoch ms, 0 until READY)
 * @param note           why it failed, or ""
 * @param fallback       how the version's missing keys fall back to its parents, recorded by the
 *                       publish; null for a version published before the rule was recorded
 */
public record VersionInfo(int version, VersionState state, long entries, long checksum, long parentEntries,
        long parentChecksum, long createdAt, long readyAt, String note, FallbackRule fallback) {

    static VersionInfo loading(int version, long now, FallbackRule fallback) {
        return new VersionInfo(version, VersionState.LOADING, 0, 0, 0, 0, now, 0, "", fallback);
    }

    /** A LOADING version without a recorded rule (what publishers before the rule wrote). */
    static VersionInfo loading(int version, long now) {
        return loading(version, now, null);
    }

    VersionInfo ready(LoadResult loaded, LoadResult parents, long now) {
        return new VersionInfo(version, VersionState.READY, loaded.count(), loaded.checksum(), parents.count(),
                parents.checksum(), createdAt, now, "", fallback);
    }

    VersionInfo failed(String reason) {
        return new VersionInfo(version, VersionState.FAILED, entries, checksum, parentEntries, parentChecksum,
                createdAt, readyAt, reason, fallback);
    }
}
