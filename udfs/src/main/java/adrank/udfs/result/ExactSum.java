package adrank.udfs.result;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A sum of doubles kept exact: every term is converted to the {@link BigDecimal} it denotes, so
 * partial sums merged in any order — as Spark's reduce merges them — give the same value, and a
 * re-run stores byte-identical results (a floating-point sum differs in its last bits with the
 * merge order).
 */
public final class ExactSum implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final ExactSum ZERO = new ExactSum(BigDecimal.ZERO);

    private final BigDecimal value;

    private ExactSum(BigDecimal value) {
        this.value = value;
    }

    /** One term; must be finite. */
    public static ExactSum of(double term) {
        if (!Double.isFinite(term)) {
            throw new ArithmeticException("an exact sum takes finite terms, got " + term);
        }
        return term == 0 ? ZERO : new ExactSum(new BigDecimal(term));
    }

    public ExactSum plus(ExactSum other) {
        return other.value.signum() == 0 ? this : value.signum() == 0 ? other : new ExactSum(value.add(other.value));
    }

    public ExactSum plus(double term) {
        return plus(of(term));
    }

    /** The exact value. */
    public BigDecimal value() {
        return value;
    }

    /** The value rounded once to the nearest double. */
    public double doubleValue() {
        return value.doubleValue();
    }

    /** Rounds to 34 significant digits (IEEE decimal128): enough for any ratio of sums taken from it. */
    static final MathContext CONTEXT = MathContext.DECIMAL128;

    @Override
    public boolean equals(Object o) {
        return o instanceof ExactSum s && value.compareTo(s.value) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(value.doubleValue());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
