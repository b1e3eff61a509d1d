package adrank.loaders.hive;

/** The hour's partition is missing or not marked complete with {@code _SUCCESS}. */
public final class PartitionNotReadyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PartitionNotReadyException(String message) {
        super(message);
    }
}
