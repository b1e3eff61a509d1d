package adrank.udfs.event;

/**
 * A raw row that cannot be counted. Carries a machine-readable {@link RejectReason} and a
 * human-readable detail naming the offending value. No stack trace is captured: malformed rows
 * are an expected, counted outcome on the parsing hot path, not a programming error.
 */
public final class MalformedRowException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public MalformedRowException(RejectReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }

    /** The detail message, e.g. {@code "revenue_micros is not an integer: '12x'"}. */
    public String detail() {
        return getMessage();
    }
}
