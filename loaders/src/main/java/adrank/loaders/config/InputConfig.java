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
 * @param quarantineDir  where this schema's malformed rows and faulty keys go (every command writes
 *                       its quarantine under it): {@code input.quarantine-dir} itself for the
 *                       default schema, {@code <input.quarantine-dir>/schema=<S>} for any other
 *                       schema S (see {@link #quarantineDir(String, String)})
 */
public record InputConfig(String table, String format, String path, String source, String database,
        double maxBadFraction, String quarantineDir) implements Serializable {

    static InputConfig from(Settings s, String schema) {
        return new InputConfig(
                s.identifier("input.table"),
                s.oneOf("input.format", "text", "orc", "parquet"),
                s.location("input.path"),
                s.oneOf("input.source", "metastore", "path"),
                s.identifier("input.database"),
                s.doubleIn("input.max-bad-fraction", 0.0, 1.0),
                quarantineDir(s.location("input.quarantine-dir"), schema));
    }

    /**
     * The one rule for where a schema's quarantine lives: the scheduled (default) schema keeps
     * {@code <root>/<table>/...}; any other schema gets {@code <root>/schema=<S>/<table>/...}, so a
     * run with {@code --schema S} (hourly, daily, backfill, etl) never replaces the default
     * schema's quarantine files.
     */
    public static String quarantineDir(String root, String schema) {
        return AdrankConfig.DEFAULT_SCHEMA.equals(schema) ? root : root + "/schema=" + schema;
    }

    public boolean viaMetastore() {
        return "metastore".equals(source);
    }

    /** The table's directory: {@code <path>/<table>}. */
    public String tableLocation() {
        return path + "/" + table;
    }
}
