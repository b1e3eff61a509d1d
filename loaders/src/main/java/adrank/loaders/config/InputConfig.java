package adrank.loaders.config;

import java.io.Serializable;

/**
 * Where and how the hourly input is read ({@code input.*}).
 *
 * @param table          input table name (an identifier)
 * @param format         text | orc | parquet
 * @param path           directory holding one sub-directory per table (a Hadoop URI or absolute path)
 * @param source         metastore | path
 * @param database       Hive database of the input tables
 * @param maxBadFraction quarantined share above which a run fails
 * @param quarantineDir  where malformed rows go
 */
public record InputConfig(String table, String format, String path, String source, String database,
        double maxBadFraction, String quarantineDir) implements Serializable {

    static InputConfig from(Settings s) {
        return new InputConfig(
                s.identifier("input.table"),
                s.oneOf("input.format", "text", "orc", "parquet"),
                s.location("input.path"),
                s.oneOf("input.source", "metastore", "path"),
                s.identifier("input.database"),
                s.doubleIn("input.max-bad-fraction", 0.0, 1.0),
                s.location("input.quarantine-dir"));
    }

    public boolean viaMetastore() {
        return "metastore".equals(source);
    }

    /** The table's directory: {@code <path>/<table>}. */
    public String tableLocation() {
        return path + "/" + table;
    }
}
