package adrank.loaders.hbase;

/**
 * The writer lock was taken over by another run while this one held it (its lease was not
 * renewed in time: a paused or cut-off process). The run must stop writing and must not record
 * success; the message says who holds the lock now.
 */
public final class LeaseLostException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String message) {
        super(message);
    }
}
