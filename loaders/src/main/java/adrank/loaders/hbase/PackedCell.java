package adrank.loaders.hbase;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A record of named text fields stored as one HBase cell: the values in a fixed field order,
 * joined by tabs (UTF-8). The result family and the parents table store their fields this way
 * rather than one qualifier per field because every cell costs the same on both sides of a
 * write (client bookkeeping, memstore entry, WAL entry), whatever its size: a ranked key used to
 * be 9-17 cells per run, now it is one or two (see BENCHMARKS.md).
 *
 * <p>Values never contain tabs or line breaks (numbers, instants, run ids, escaped keys); a
 * value that does is refused rather than stored ambiguously.
 *
 * <p>The field order is the format: fields are only ever appended.
 */
public final class PackedCell {

    private final byte[] qualifier;
    private final List<String> fields;
    private final Set<String> names; // pack() checks every name of every row: a set, not a list scan

    private PackedCell(byte[] qualifier, List<String> fields) {
        this.qualifier = qualifier;
        this.fields = List.copyOf(fields);
        this.names = Set.copyOf(fields);
    }

    /** The cell's qualifier. */
    public byte[] qualifier() {
        return qualifier;
    }

    /** The field names, in stored order. */
    public List<String> fields() {
        return fields;
    }

    public static PackedCell of(String qualifier, List<String> fields) {
        return new PackedCell(qualifier.getBytes(StandardCharsets.UTF_8), fields);
    }

    /**
     * The cell value of {@code values} (a field that is missing or null is stored empty).
     *
     * @throws IllegalArgumentException for a value with a tab or line break, or a name that is not a field
     */
    public byte[] pack(Map<String, String> values) {
        for (String name : values.keySet()) {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not a field of the packed cell "
                        + new String(qualifier, StandardCharsets.UTF_8) + " " + fields);
            }
        }
        StringBuilder out = new StringBuilder(16 * fields.size());
        for (int i = 0; i < fields.size(); i++) {
            String value = values.get(fields.get(i));
            if (value != null) {
                if (value.indexOf('\t') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("field " + fields.get(i) + " of the packed cell "
                            + new String(qualifier, StandardCharsets.UTF_8) + " has a tab or line break: '" + value + "'");
                }
                out.append(value);
            }
            if (i < fields.size() - 1) {
                out.append('\t');
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Puts the fields of a stored value into {@code into} (name → text, empty fields included).
     * A value with fewer fields than this format (written by an older version) fills what it has.
     *
     * @throws IllegalArgumentException when the value has more fields than this format knows
     */
    public void unpack(byte[] value, Map<String, String> into) {
        String[] parts = new String(value, StandardCharsets.UTF_8).split("\t", -1);
        if (parts.length > fields.size()) {
            throw new IllegalArgumentException("packed cell " + new String(qualifier, StandardCharsets.UTF_8)
                    + " has " + parts.length + " fields, this version knows " + fields.size() + " " + fields);
        }
        for (int i = 0; i < parts.length; i++) {
            into.put(fields.get(i), parts[i]);
        }
    }
}
