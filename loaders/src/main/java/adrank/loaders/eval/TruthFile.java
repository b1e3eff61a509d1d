package adrank.loaders.eval;

import adrank.udfs.eval.Truth;
import adrank.udfs.key.ImpressionKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a generator's truth file ({@code <input.path>/truth/keys.tsv}, see test-data's
 * {@code RawEventLayout.TRUTH_COLUMNS}): one header line, then one tab-separated row per key with
 * the key's dimensions by name and its true {@code ctr}, {@code cvr}, {@code cpm_micros},
 * {@code value_per_conv_micros} and {@code billing}. Keys are encoded with the configured
 * dimensions, which must all be columns of the file. A file without the {@code billing} column
 * (written before it existed) gives billing {@code unknown}.
 */
public final class TruthFile {

    private TruthFile() {
    }

    /**
     * The truth per encoded key.
     *
     * @param file       the truth file
     * @param dimensions the configured key dimensions, in key order
     * @param separator  the key separator
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if a column is missing or a row is malformed (names the line)
     */
    public static Map<String, Truth> read(Path file, List<String> dimensions, char separator) throws IOException {
        ImpressionKey codec = new ImpressionKey(separator);
        Map<String, Truth> truth = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty (no header line)");
            }
            List<String> columns = List.of(header.split("\t", -1));
            int[] dims = new int[dimensions.size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = column(columns, dimensions.get(i), file);
            }
            int ctr = column(columns, "ctr", file);
            int cvr = column(columns, "cvr", file);
            int cpm = column(columns, "cpm_micros", file);
            int value = column(columns, "value_per_conv_micros", file);
            int billing = columns.indexOf("billing");
            String line;
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != columns.size()) {
                    throw new IllegalArgumentException(file + " line " + number + " has " + f.length
                            + " columns, the header " + columns.size());
                }
                List<String> components = new ArrayList<>(dims.length);
                for (int d : dims) {
                    components.add(f[d]);
                }
                String key = codec.encode(components);
                Truth previous;
                try {
                    previous = truth.put(key, Truth.of(Double.parseDouble(f[ctr]),
                            Double.parseDouble(f[cvr]), Double.parseDouble(f[cpm]), Double.parseDouble(f[value]),
                            billing < 0 ? "unknown" : f[billing]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage(), e);
                }
                if (previous != null) {
                    throw new IllegalArgumentException(file + " line " + number + " repeats key '" + key
                            + "': the file's keys are not the configured key dimensions " + dimensions);
                }
            }
        }
        return truth;
    }

    private static int column(List<String> columns, String name, Path file) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(file + " has no column '" + name + "' (columns: " + columns + ")");
        }
        return i;
    }
}
