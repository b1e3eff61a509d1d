package adrank.loaders.hazelcast;

/** Lifecycle of one snapshot version. Destroyed versions are dropped from the control record. */
public enum VersionState {
    /** Being loaded; never read. A LOADING version older than a new publish was killed. */
    LOADING,
    /** Loaded and verified: can be active, B or a rollback target. */
    READY,
    /** Verification failed; its maps are destroyed. Dropped by the next publish. */
    FAILED
}
