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
 */
public record VersionInfo(int version, VersionState state, long entries, long checksum, long parentEntries,
        long parentChecksum, long createdAt, long readyAt, String note) {

    static VersionInfo loading(int version, long now) {
        return new VersionInfo(version, VersionState.LOADING, 0, 0, 0, 0, now, 0, "");
    }

    VersionInfo ready(LoadResult loaded, LoadResult parents, long now) {
        return new VersionInfo(version, VersionState.READY, loaded.count(), loaded.checksum(), parents.count(),
                parents.checksum(), createdAt, now, "");
    }

    VersionInfo failed(String reason) {
        return new VersionInfo(version, VersionState.FAILED, entries, checksum, parentEntries, parentChecksum,
                createdAt, readyAt, reason);
    }
}
