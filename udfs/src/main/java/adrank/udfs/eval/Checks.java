package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;

/** Validation shared by the accumulators of this package (see {@code adrank.udfs.rank.Inputs}). */
final class Checks {

    private Checks() {
    }

    /** A stored sum that may be negative (a log-likelihood): finite. */
    static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidInputException(name + " (" + value + ") is not a finite number");
        }
        return value;
    }

    /** A part of a state that cannot exceed a whole, e.g. keys without impressions &lt;= keys. */
    static void atMost(String part, long partValue, String whole, long wholeValue) {
        if (partValue > wholeValue) {
            throw new InvalidInputException(part + " (" + partValue + ") > " + whole + " ("
                + wholeValue + ")");
        }
    }

    /** The accumulator to merge with: present. */
    static <T> T other(T other) {
        if (other == null) {
            throw new IllegalArgumentException("cannot merge with null");
        }
        return other;
    }

    /** Merging needs accumulators built with the same parameter. */
    static void sameParameter(String name, long mine, long theirs) {
        if (mine != theirs) {
            throw new IllegalArgumentException("cannot combine values of different " + name
                + " (" + mine + " and " + theirs + ")");
        }
    }

    /** Merging needs accumulators built with the same parameter. */
    static void sameParameter(String name, double mine, double theirs) {
        if (Double.compare(mine, theirs) != 0) {
            throw new IllegalArgumentException("cannot combine values of different " + name
                + " (" + mine + " and " + theirs + ")");
        }
    }
}
