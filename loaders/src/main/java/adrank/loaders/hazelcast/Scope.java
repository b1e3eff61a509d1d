package adrank.loaders.hazelcast;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an A/B split applies: keys whose {@code dimension} component equals {@code value}
 * (written {@code dim=value}, e.g. {@code geo=MX}), or every key ({@link #ALL}, written as the
 * empty string). Outside the scope everyone gets the active version.
 */
public record Scope(String dimension, String value) {

    /** Every key. */
    public static final Scope ALL = new Scope("", "");

    private static final Pattern DIMENSION = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public Scope {
        if (!dimension.isEmpty() && (!DIMENSION.matcher(dimension).matches() || value.isEmpty())) {
            throw new IllegalArgumentException("scope must be dim=value with dim a key dimension and a non-empty value, got '"
                    + dimension + "=" + value + "'");
        }
    }

    /** Parses {@code dim=value} (split at the first '='); null or blank is {@link #ALL}. */
    public static Scope parse(String text) {
        if (text == null || text.isBlank()) {
            return ALL;
        }
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("scope must be dim=value (e.g. geo=MX), got '" + text + "'");
        }
        return new Scope(text.substring(0, eq).trim(), text.substring(eq + 1));
    }

    public boolean isAll() {
        return dimension.isEmpty();
    }

    /** {@code dim=value}, or "" for {@link #ALL}: the form {@link #parse} reads. */
    public String text() {
        return isAll() ? "" : dimension + "=" + value;
    }

    /** Fails unless the scope's dimension is one of the key's. */
    public void requireDimensionOf(List<String> keyDimensions) {
        if (!isAll() && !keyDimensions.contains(dimension)) {
            throw new IllegalArgumentException("scope dimension '" + dimension + "' is not one of key.dimensions "
                    + keyDimensions);
        }
    }

    /**
     * Whether a key is inside the scope.
     *
     * @param keyDimensions the configured key dimensions
     * @param components    the key's decoded components, in the same order
     */
    public boolean matches(List<String> keyDimensions, List<String> components) {
        if (isAll()) {
            return true;
        }
        int index = keyDimensions.indexOf(dimension);
        return index >= 0 && index < components.size() && components.get(index).equals(value);
    }
}
