package adrank.loaders.config;

import adrank.udfs.event.RawEventSchema;
import java.io.Serializable;
import java.util.List;

/**
 * The impression key ({@code key.*}).
 *
 * @param dimensions ordered key columns
 * @param separator  the character joining encoded components
 */
public record KeyConfig(List<String> dimensions, char separator) implements Serializable {

    public KeyConfig {
        dimensions = List.copyOf(dimensions);
    }

    static KeyConfig from(Settings s) {
        List<String> dimensions = s.stringList("key.dimensions");
        if (dimensions.isEmpty()) {
            throw new ConfigError("key.dimensions must name at least one column");
        }
        for (String dimension : dimensions) {
            if (!RawEventSchema.isDimension(dimension)) {
                throw new ConfigError("key.dimensions: '" + dimension + "' is not a descriptive column of "
                        + RawEventSchema.COLUMNS.subList(RawEventSchema.EVENT + 1, RawEventSchema.REVENUE_MICROS));
            }
        }
        if (dimensions.stream().distinct().count() != dimensions.size()) {
            throw new ConfigError("key.dimensions must not repeat a column: " + dimensions);
        }
        String separator = s.string("key.separator");
        if (separator.length() != 1 || Character.isLetterOrDigit(separator.charAt(0))
                || Character.isWhitespace(separator.charAt(0)) || separator.charAt(0) == '\\') {
            throw new ConfigError("key.separator = \"" + separator
                    + "\" must be one punctuation character other than backslash");
        }
        return new KeyConfig(dimensions, separator.charAt(0));
    }
}
