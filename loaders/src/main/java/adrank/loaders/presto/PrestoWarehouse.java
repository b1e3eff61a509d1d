package adrank.loaders.presto;

import static adrank.loaders.presto.PrestoSql.id;

import adrank.loaders.config.PrestoConfig;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.event.RejectReason;
import adrank.udfs.stats.HourId;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The warehouse tables as Presto sees them, and the SQL of {@code rank etl --engine presto}.
 *
 * <p>Tables are external, over {@code <input.path>/<table>} (the directories Spark reads), in the
 * configured catalog and schema:
 * <ul>
 *   <li>{@code <raw-table>_lines}: the raw gzip text hour as one varchar column {@code line}.
 *       Presto 0.287 cannot split tab-separated text into typed columns itself, and its CSV reader
 *       would silently drop extra columns, so the rows are split and validated in SQL with exactly
 *       the rules of {@code RawEventParser} (see {@link #reasonSql()}).</li>
 *   <li>{@code <bin-table>}: ORC (zlib), the 15 columns; money as bigint.</li>
 *   <li>{@code <agg-table>}: ORC, the key dimensions then events, impressions, clicks,
 *       conversions, revenue_micros, value_micros.</li>
 * </ul>
 * All are partitioned by {@code dt} and {@code hr} (varchar).
 */
public final class PrestoWarehouse {

    /** Counter columns of the aggregate table, in order. */
    public static final List<String> AGG_COUNTERS = List.of("events", "impressions", "clicks", "conversions",
            "revenue_micros", "value_micros");

    private static final int COLUMNS = RawEventSchema.COLUMNS.size();
    private static final int COLUMNS_WITH_EXPERIMENT = RawEventSchema.COLUMNS_WITH_EXPERIMENT.size();

    private final PrestoJdbc jdbc;
    private final PrestoConfig presto;
    private final String dataPath;
    private final List<String> dimensions;

    /**
     * @param jdbc       the connection
     * @param presto     catalog, schema and table names
     * @param dataPath   {@code input.path}: the directory holding one directory per table
     * @param dimensions {@code key.dimensions}
     */
    public PrestoWarehouse(PrestoJdbc jdbc, PrestoConfig presto, String dataPath, List<String> dimensions) {
        this.jdbc = jdbc;
        this.presto = presto;
        this.dataPath = dataPath;
        this.dimensions = List.copyOf(dimensions);
        PrestoSql.ids("key dimension", dimensions); // checked before any SQL is built
    }

    public PrestoJdbc jdbc() {
        return jdbc;
    }

    /** The one-column view of the raw table. */
    public String linesTable() {
        return presto.etl().rawTable() + "_lines";
    }

    /** The directory of a table: {@code <input.path>/<table>}. */
    public String location(String table) {
        return dataPath + "/" + table;
    }

    /** {@code "catalog"."schema"."table"}. */
    public String qualified(String table) {
        return PrestoSql.table(presto.catalog(), presto.schema(), table);
    }

    /** A name for messages: {@code catalog.schema.table}. */
    public String display(String table) {
        return presto.catalog() + "." + presto.schema() + "." + table;
    }

    // ---------------------------------------------------------------------------------------- DDL

    /**
     * Creates the schema and the three ETL tables when missing (their directories must exist:
     * Presto refuses an external location that is not a directory).
     */
    public void ensureEtlTables() {
        jdbc.run("create the ETL tables in " + presto.catalog() + "." + presto.schema(), c -> {
            createSchema(c);
            // the one-column view lies over the raw table's own directory
            createTable(c, linesTable(), location(presto.etl().rawTable()), "line varchar", "TEXTFILE");
            createTable(c, presto.etl().binTable(), location(presto.etl().binTable()), binColumnsDdl(), "ORC");
            createTable(c, presto.etl().aggTable(), location(presto.etl().aggTable()), aggColumnsDdl(), "ORC");
            checkAggColumns(c, presto.etl().aggTable(), true);
            return null;
        });
    }

    /** Creates the schema and the aggregate table {@code hourly} reads, when missing. */
    public void ensureAggTable(String table) {
        jdbc.run("check table " + display(table), c -> {
            createSchema(c);
            createTable(c, table, location(table), aggColumnsDdl(), "ORC");
            checkAggColumns(c, table, false);
            return null;
        });
    }

    private void createSchema(Connection c) throws SQLException {
        PrestoJdbc.execute(c, "CREATE SCHEMA IF NOT EXISTS " + id("catalog", presto.catalog()) + "."
                + id("schema", presto.schema()));
    }

    private void createTable(Connection c, String table, String location, String columns, String format)
            throws SQLException {
        PrestoJdbc.execute(c, "CREATE TABLE IF NOT EXISTS " + qualified(table) + " (" + columns
                + ", dt varchar, hr varchar) WITH (format = '" + format + "', partitioned_by = ARRAY['dt', 'hr'], "
                + "external_location = " + PrestoSql.locationLiteral(PrestoSql.uri(location)) + ")");
    }

    private static String binColumnsDdl() {
        return RawEventSchema.COLUMNS.stream()
                .map(c -> id("column", c) + (c.endsWith("_micros") ? " bigint" : " varchar"))
                .collect(Collectors.joining(", "));
    }

    private String aggColumnsDdl() {
        List<String> columns = new ArrayList<>();
        dimensions.forEach(d -> columns.add(id("key dimension", d) + " varchar"));
        AGG_COUNTERS.forEach(c -> columns.add(id("column", c) + " bigint"));
        return String.join(", ", columns);
    }

    /**
     * The aggregate table must have the key dimensions and counters: exactly, in order, when the
     * ETL writes it; at least, when {@code hourly} reads it (it groups by the dimensions again).
     */
    private void checkAggColumns(Connection c, String table, boolean exact) throws SQLException {
        List<String> actual = PrestoJdbc.query(c, "SELECT column_name FROM " + id("catalog", presto.catalog())
                + ".information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                rs -> rs.getString(1), presto.schema(), table);
        List<String> expected = new ArrayList<>(dimensions);
        expected.addAll(AGG_COUNTERS);
        expected.add("dt");
        expected.add("hr");
        if (exact ? !actual.equals(expected) : !actual.containsAll(expected)) {
            throw new PrestoException("table " + display(table) + " has columns " + actual + " but key.dimensions "
                    + dimensions + " needs " + expected + "; it was made for other key dimensions: drop it "
                    + "(its files stay) or set another etl.agg-table / presto.table", false, null);
        }
    }

    // --------------------------------------------------------------------------------- partitions

    /** True when the metastore knows the hour's partition of the table. */
    public boolean hasPartition(Connection c, String table, HourId hour) throws SQLException {
        String partitions = PrestoSql.partitionsTable(presto.catalog(), presto.schema(), table);
        return !PrestoJdbc.query(c, "SELECT 1 FROM " + partitions + " WHERE dt = ? AND hr = ?", rs -> 1,
                hour.day().toString(), hour.hr()).isEmpty();
    }

    /** Registers the hour's existing directory as a partition, unless it is registered already. */
    public void registerPartition(Connection c, String table, HourId hour) throws SQLException {
        if (!hasPartition(c, table, hour)) {
            // CALL takes no parameters: only checked names and the formatted hour are literals
            PrestoJdbc.execute(c, "CALL " + id("catalog", presto.catalog()) + ".system.create_empty_partition("
                    + PrestoSql.nameLiteral("schema", presto.schema()) + ", " + PrestoSql.nameLiteral("table", table)
                    + ", ARRAY['dt', 'hr'], " + PrestoSql.partitionValues(hour) + ")");
        }
    }

    /** Forgets the hour's partition in the metastore (external table: the files stay). */
    public void dropPartition(Connection c, String table, HourId hour) throws SQLException {
        PrestoJdbc.execute(c, "DELETE FROM " + qualified(table) + " WHERE dt = ? AND hr = ?",
                hour.day().toString(), hour.hr());
    }

    // ------------------------------------------------------------------------------------ the ETL

    /** Rows of the raw hour per reject reason ({@code null} = valid). */
    public Map<String, Long> rowsByReason(Connection c, HourId hour) throws SQLException {
        Map<String, Long> counts = new TreeMap<>(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        for (Object[] row : PrestoJdbc.query(c, "SELECT reason, count(*) FROM (" + validatedSql(hour) + ") v GROUP BY reason",
                rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    /** A rejected raw row: the same fields the Spark path's quarantine writes. */
    public record Rejected(String reason, String detail, String file, String line) {
    }

    /** The hour's rejected raw rows (at most {@code limit}). */
    public List<Rejected> rejected(Connection c, HourId hour, int limit) throws SQLException {
        return PrestoJdbc.query(c, "SELECT reason, detail, file, coalesce(line, '\\N') FROM (" + validatedSql(hour)
                + ") v WHERE reason IS NOT NULL ORDER BY file, line LIMIT " + Math.max(0, limit), // an int, not text
                rs -> new Rejected(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
    }

    /** Writes the hour's valid raw rows as ORC into the (dropped and emptied) bin partition. */
    public long insertBinHour(Connection c, HourId hour) throws SQLException {
        List<String> columns = new ArrayList<>();
        for (int i = 1; i <= COLUMNS; i++) {
            String column = RawEventSchema.COLUMNS.get(i - 1);
            columns.add(column.endsWith("_micros") ? "try_cast(element_at(f, " + i + ") AS bigint)"
                    : "element_at(f, " + i + ")");
        }
        return PrestoJdbc.execute(c, "INSERT INTO " + qualified(presto.etl().binTable()) + " SELECT "
                + String.join(", ", columns) + ", dt, hr FROM (" + validatedSql(hour) + ") v WHERE reason IS NULL");
    }

    /** Aggregates the hour's ORC rows per key into the (dropped and emptied) aggregate partition. */
    public long insertAggHour(Connection c, HourId hour) throws SQLException {
        String dims = PrestoSql.ids("key dimension", dimensions);
        return PrestoJdbc.execute(c, "INSERT INTO " + qualified(presto.etl().aggTable()) + " SELECT " + dims
                + ", count(*), count_if(event = 'imp'), count_if(event = 'click'), count_if(event = 'conv'), "
                + "sum(revenue_micros), sum(value_micros), dt, hr FROM " + qualified(presto.etl().binTable())
                + " WHERE dt = ? AND hr = ? GROUP BY " + dims + ", dt, hr", hour.day().toString(), hour.hr());
    }

    /**
     * The raw hour split into fields, with the reject reason and detail of every row ({@code null}
     * for valid rows). Parameters: day, hour.
     *
     * <p>The inner selects compute, once per row, what the checks need: {@code t}, the position among
     * the descriptive columns of the first whose text is bad ({@link #BAD_TEXT}), and for it its text
     * {@code x}, whether it is invalid UTF-8 ({@code i}, else it holds a control character) and the
     * offset ({@code o}) the detail names; {@code e}, the position among the key dimensions of the first
     * empty one. Lambdas over the columns keep the statement short: the JDBC driver prepares it, and
     * Presto hands a prepared statement back and forth in HTTP headers (8 KiB by default), which a CASE
     * branch per column and check would not fit.
     */
    String validatedSql(HourId hour) {
        List<String> descriptive = RawEventSchema.COLUMNS.subList(RawEventSchema.EVENT + 1, RawEventSchema.REVENUE_MICROS);
        String keyFields = dimensions.stream().map(d -> "element_at(f, " + (RawEventSchema.indexOf(d) + 1) + ")")
                .collect(Collectors.joining(", "));
        String r = "from_utf8(to_utf8(x))"; // x with what is not UTF-8 replaced by U+FFFD
        return "SELECT line, file, f, dt, hr, " + reasonSql() + " AS reason, " + detailSql() + " AS detail FROM ("
                + "SELECT *, CASE WHEN i THEN length(to_utf8(substr(" + r + ", 1, strpos(" + r + ", chr(65533)) - 1))) "
                + "ELSE length(regexp_extract(x, '^[^" + CONTROLS.substring(1) + "*')) END AS o FROM ("
                + "SELECT *, " + r + " <> x AS i FROM ("
                + "SELECT *, element_at(f, nullif(t, 0) + " + (RawEventSchema.EVENT + 1) + ") AS x FROM ("
                + "SELECT *, array_position(transform(slice(f, " + (RawEventSchema.EVENT + 2) + ", " + descriptive.size()
                + "), x -> " + BAD_TEXT + "), true) AS t, array_position(transform(ARRAY[" + keyFields
                + "], x -> x = ''), true) AS e, " + experimentProblemSql() + " AS w, element_at(f, "
                + (RawEventSchema.VARIANT + 1) + ") AS v FROM ("
                + "SELECT line, \"$path\" AS file, split(line, chr(9)) AS f, dt, hr FROM " + qualified(linesTable())
                + " WHERE dt = '" + hour.day() + "' AND hr = '" + hour.hr() + "') r0) r1) r2) r3) r4";
    }

    /** The C0 controls and DEL, as a (Joni) regular expression character class. */
    static final String CONTROLS = "[\\x00-\\x1F\\x7F]";

    /**
     * A lambda's condition: the text {@code x} is not UTF-8, or holds a C0 control or DEL. Presto keeps
     * a text line's bytes as they are (a varchar is bytes) and {@code from_utf8(to_utf8(x))} replaces
     * what is not UTF-8 with U+FFFD, so the two differ exactly when {@code x} is not valid UTF-8 (the
     * CASE keeps the regular expression away from such bytes).
     */
    static final String BAD_TEXT = "CASE WHEN from_utf8(to_utf8(x)) <> x THEN true ELSE regexp_like(x, '" + CONTROLS
            + "') END";

    /** The checks of {@code RawEventParser}, in its order; the first that fails names the reason. */
    private List<String[]> checks() {
        List<String[]> checks = new ArrayList<>();
        // {condition that rejects, reason expression, detail expression}
        checks.add(new String[] {"line IS NULL OR cardinality(f) NOT IN (" + COLUMNS + ", " + COLUMNS_WITH_EXPERIMENT + ")",
            literal(RejectReason.COLUMN_COUNT), "'expected " + COLUMNS + " (or " + COLUMNS_WITH_EXPERIMENT
                + " with unit_id, variant) tab-separated columns, got ' || cast(coalesce(cardinality(f), 1) AS varchar)"});
        String ts = "element_at(f, 1)";
        checks.add(new String[] {"NOT coalesce(regexp_like(" + ts + ", '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')"
            + " AND substr(" + ts + ", 1, 4) >= '1970' AND try(date_parse(" + ts + ", '%Y-%m-%d %H:%i:%s')) IS NOT NULL, false)",
            literal(RejectReason.BAD_TIMESTAMP), "'ts is not a yyyy-MM-dd HH:mm:ss timestamp: ''' || " + ts + " || ''''"});
        String event = "element_at(f, 2)";
        checks.add(new String[] {event + " NOT IN ('imp', 'click', 'conv')", literal(RejectReason.UNKNOWN_EVENT),
            "'event is not one of imp, click, conv: ''' || " + event + " || ''''"});
        // the text of the descriptive columns, in column order: not UTF-8, else a control character. The
        // byte offset is that of the first U+FFFD of the repaired text (a genuine U+FFFD before the bad
        // byte would shift it; the reason is still right)
        checks.add(new String[] {"t > 0",
            "CASE WHEN i THEN " + literal(RejectReason.INVALID_UTF8) + " ELSE " + literal(RejectReason.CONTROL_CHARACTER) + " END",
            "element_at(" + names(RawEventSchema.COLUMNS.subList(RawEventSchema.EVENT + 1, RawEventSchema.REVENUE_MICROS))
                + ", t) || CASE WHEN i THEN ' is not valid UTF-8: byte 0x' || substr(to_hex(to_utf8(x)), 2 * o + 1, 2)"
                + " || ' at byte offset ' ELSE ' contains control character U+' || lpad(upper(to_base(codepoint(cast("
                + "substr(x, o + 1, 1) AS varchar(1))), 16)), 4, '0') || ' at offset ' END || cast(o AS varchar)"});
        checks.add(new String[] {"e > 0", literal(RejectReason.EMPTY_KEY_COMPONENT),
            "'key component ' || element_at(" + names(dimensions) + ", e) || ' is empty'"});
        for (int index : new int[] {RawEventSchema.REVENUE_MICROS + 1, RawEventSchema.VALUE_MICROS + 1}) {
            String column = RawEventSchema.COLUMNS.get(index - 1);
            String text = "element_at(f, " + index + ")";
            String value = "try_cast(" + text + " AS bigint)";
            checks.add(new String[] {value + " IS NULL", literal(RejectReason.BAD_NUMBER),
                "'" + column + " is not an integer: ''' || " + text + " || ''''"});
            checks.add(new String[] {value + " < 0", literal(RejectReason.NEGATIVE_MONEY),
                "'" + column + " is negative: ' || cast(" + value + " AS varchar)"});
        }
        // the optional experiment columns (17-column rows), as RawEventParser checks them after the others;
        // w (see validatedSql) names the first problem, so each condition is written once
        checks.add(new String[] {"w = 1", literal(RejectReason.INVALID_UTF8), "'unit_id is not valid UTF-8'"});
        checks.add(new String[] {"w = 2", literal(RejectReason.CONTROL_CHARACTER), "'unit_id contains a control character'"});
        checks.add(new String[] {"w = 3", literal(RejectReason.BAD_VARIANT),
            "'variant ''' || v || ''' is not experiment:arm:schema:vN (e.g. mx-cpm:B:exp_mx:v12)'"});
        checks.add(new String[] {"w = 4", literal(RejectReason.BAD_VARIANT),
            "'variant ''' || v || ''' has no unit_id (the readout clusters by unit)'"});
        return checks;
    }

    /**
     * The first problem of a row's experiment columns, in the parser's order: 0 none (or a 15-column
     * row), 1 unit_id not UTF-8, 2 unit_id with a control character, 3 a variant that is not
     * {@code experiment:arm:schema:vN}, 4 a variant without a unit. Separate WHENs keep the regular
     * expressions away from bytes that are not UTF-8.
     */
    private static String experimentProblemSql() {
        String u = "element_at(f, " + (RawEventSchema.UNIT_ID + 1) + ")";
        String v = "element_at(f, " + (RawEventSchema.VARIANT + 1) + ")";
        return "CASE WHEN cardinality(f) <> " + COLUMNS_WITH_EXPERIMENT + " THEN 0 WHEN from_utf8(to_utf8(" + u + ")) <> "
                + u + " THEN 1 WHEN regexp_like(" + u + ", '" + CONTROLS + "') THEN 2 WHEN " + v + " = '' THEN 0 WHEN "
                + "from_utf8(to_utf8(" + v + ")) <> " + v + " THEN 3 WHEN NOT regexp_like(" + v + ", '" + VARIANT_PATTERN
                + "') THEN 3 WHEN try_cast(regexp_extract(" + v + ", '[0-9]+$') AS bigint) > 2147483647 THEN 3 WHEN " + u
                + " = '' THEN 4 ELSE 0 END";
    }

    /** The logged variant's form, as {@code Variant.parse} accepts it (its version is checked apart). */
    static final String VARIANT_PATTERN = "^[A-Za-z0-9._-]{1,64}:(A|B):[a-z][a-z0-9_]{0,31}:v[1-9][0-9]{0,9}$";

    /** {@code ARRAY['a', 'b']} of checked column names. */
    private static String names(List<String> columns) {
        columns.forEach(c -> PrestoSql.id("column", c));
        return columns.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", ", "ARRAY[", "]"));
    }

    private static String literal(RejectReason reason) {
        return "'" + reason.code() + "'";
    }

    /** {@code CASE WHEN <check> THEN '<reason>' ... END}: null for a valid row. */
    String reasonSql() {
        StringBuilder sql = new StringBuilder("CASE");
        for (String[] check : checks()) {
            sql.append(" WHEN ").append(check[0]).append(" THEN ").append(check[1]);
        }
        return sql.append(" END").toString();
    }

    private String detailSql() {
        StringBuilder sql = new StringBuilder("CASE");
        for (String[] check : checks()) {
            sql.append(" WHEN ").append(check[0]).append(" THEN ").append(check[2]);
        }
        return sql.append(" END").toString();
    }

    /** Reasons with their counts, without the valid rows' entry (for summaries). */
    public static Map<String, Long> rejectsOnly(Map<String, Long> byReason) {
        Map<String, Long> out = new LinkedHashMap<>();
        byReason.forEach((reason, n) -> {
            if (reason != null) {
                out.put(reason, n);
            }
        });
        return out;
    }
}
