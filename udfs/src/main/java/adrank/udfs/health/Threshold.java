package adrank.udfs.health;

import java.util.Locale;

/**
 * A warning and a critical limit on a measured value: the value is WARNING when it is above
 * {@code warning}, CRITICAL when it is above {@code critical} (strictly above: a limit is the
 * largest value still allowed).
 */
public record Threshold(double warning, double critical) implements java.io.Serializable {

    public Threshold {
        if (!(warning >= 0) || !(critical >= 0) || Double.isInfinite(warning) || Double.isInfinite(critical)) {
            throw new IllegalArgumentException("thresholds must be finite and >= 0, got warning " + warning
                    + ", critical " + critical);
        }
        if (warning > critical) {
            throw new IllegalArgumentException("the warning threshold " + warning + " is above the critical one "
                    + critical);
        }
    }

    /** The status of {@code value}. */
    public Status judge(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("cannot judge NaN");
        }
        return value > critical ? Status.CRITICAL : value > warning ? Status.WARNING : Status.OK;
    }

    /** "warning > 1, critical > 3", numbers as {@code format} writes them. */
    String describe(String format) {
        return String.format(Locale.ROOT, "warning > " + format + ", critical > " + format, warning, critical);
    }
}
