package adrank.udfs.key;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes an ordered list of key components (the configured {@code key.dimensions}) as one
 * string, and back.
 *
 * <p>Components are joined by a single separator character. Inside a component, the escape
 * character {@code \}, the separator, any whitespace and any control character are written as
 * {@code \xHH} (above U+00FF: a backslash, {@code u} and four hex digits), so two different component lists never encode
 * to the same string, the encoded key never contains whitespace (it is safe in TSV, shell
 * arguments and HBase shell output) and decoding restores the components exactly.
 *
 * <p>The byte order of encoded keys is the HBase row order (and so the {@code export} order);
 * nothing relies on it matching the order of the component lists.
 */
public final class ImpressionKey implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final char ESCAPE = '\\';

    private final char separator;

    public ImpressionKey(char separator) {
        if (separator == ESCAPE || Character.isWhitespace(separator) || Character.isISOControl(separator)
                || Character.isLetterOrDigit(separator)) {
            throw new IllegalArgumentException("key separator must be a printable punctuation character other than '\\', got '"
                    + separator + "' (U+" + String.format("%04X", (int) separator) + ")");
        }
        this.separator = separator;
    }

    public char separator() {
        return separator;
    }

    /** Encodes the components in order; an empty list encodes to the empty string. */
    public String encode(List<String> components) {
        StringBuilder out = new StringBuilder(components.size() * 12);
        for (int i = 0; i < components.size(); i++) {
            if (i > 0) {
                out.append(separator);
            }
            appendEscaped(out, components.get(i), i);
        }
        return out.toString();
    }

    /** Encodes the components in order (array form for the parsing hot path). */
    public String encode(String... components) {
        return encode(List.of(components));
    }

    /**
     * Appends one escaped component. Used by the row parser to build a key without an
     * intermediate list.
     */
    public void appendEscaped(StringBuilder out, String component, int position) {
        if (component == null) {
            throw new IllegalArgumentException("key component " + position + " is null");
        }
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == ESCAPE || c == separator || Character.isWhitespace(c) || Character.isISOControl(c)
                    || Character.isSpaceChar(c)) {
                if (c <= 0xFF) {
                    out.append(ESCAPE).append('x').append(hex(c >> 4)).append(hex(c));
                } else {
                    out.append(ESCAPE).append('u')
                            .append(hex(c >> 12)).append(hex(c >> 8)).append(hex(c >> 4)).append(hex(c));
                }
            } else {
                out.append(c);
            }
        }
    }

    /** Decodes an encoded key into its components. */
    public List<String> decode(String encoded) {
        List<String> parts = new ArrayList<>();
        if (encoded.isEmpty()) {
            return parts;
        }
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else if (c == ESCAPE) {
                int digits = i + 1 < encoded.length() && encoded.charAt(i + 1) == 'u' ? 4 : 2;
                if (i + 1 >= encoded.length() || (encoded.charAt(i + 1) != 'x' && encoded.charAt(i + 1) != 'u')
                        || i + 2 + digits > encoded.length()) {
                    throw new IllegalArgumentException("malformed escape at offset " + i + " in key '" + encoded + "'");
                }
                try {
                    current.append((char) Integer.parseInt(encoded.substring(i + 2, i + 2 + digits), 16));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("malformed escape at offset " + i + " in key '" + encoded + "'", e);
                }
                i += 1 + digits;
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static char hex(int nibble) {
        return "0123456789ABCDEF".charAt(nibble & 0xF);
    }
}
