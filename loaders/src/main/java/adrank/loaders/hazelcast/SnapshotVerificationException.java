package adrank.loaders.hazelcast;

/**
 * A loaded snapshot did not match its source (count or checksum): it was marked FAILED, its maps
 * were destroyed and the previously active version stays active.
 */
public final class SnapshotVerificationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SnapshotVerificationException(String message) {
        super(message);
    }
}
