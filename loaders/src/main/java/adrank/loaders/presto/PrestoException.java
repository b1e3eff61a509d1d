package adrank.loaders.presto;

/**
 * A Presto query or connection failed. {@link #unreachable()} tells a coordinator that could not
 * be reached (after the configured retries) from a query Presto refused; the message always names
 * the URL. An {@link IllegalStateException} so the CLI prints it as a plain failure.
 */
public final class PrestoException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final boolean unreachable;

    public PrestoException(String message, boolean unreachable, Throwable cause) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    public boolean unreachable() {
        return unreachable;
    }
}
