package adrank.udfs.rank;

/**
 * A data value handed to a pure function is faulty: null, negative, NaN, infinite, or
 * inconsistent with another value (conversions &gt; clicks, clicks &gt; impressions, …).
 *
 * <p>The message names every offending value, e.g. {@code "conversions (12) > clicks (10)"},
 * so a job can catch this type, move the row to quarantine and keep the message as the reason.
 *
 * <p>Faulty <em>configuration</em> (a prior strength {@code k <= 0}, a forgetting factor
 * outside (0, 1], …) is reported with a plain {@link IllegalArgumentException} instead: it is
 * not a property of one row, and quarantining every row would hide it, so the job should fail.
 */
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
