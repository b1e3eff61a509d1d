package adrank.jobs.pipeline;

/** A run stopped for a reason the user can act on (bad input, missing partition, guard). */
public final class RunFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunFailedException(String message) {
        super(message);
    }

    public RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
