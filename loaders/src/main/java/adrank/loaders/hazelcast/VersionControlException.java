package adrank.loaders.hazelcast;

/** A version operation was refused (unknown or not READY version, nothing to roll back to, ...). */
public final class VersionControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public VersionControlException(String message) {
        super(message);
    }
}
