package adrank.loaders.hazelcast;

/**
 * A stored value that must not go into a snapshot: a number that is not finite (NaN or an
 * infinity) or does not parse, or a parent of a segment the version's {@link FallbackRule} does
 * not list. A snapshot holds finite numbers only, and "none" as an absent (null) value, so an ad
 * server never meets NaN; a publish that meets such a value fails, naming the key, instead of
 * loading it.
 */
public final class SnapshotValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SnapshotValueException(String message) {
        super(message);
    }

    public SnapshotValueException(String message, Throwable cause) {
        super(message, cause);
    }
}
