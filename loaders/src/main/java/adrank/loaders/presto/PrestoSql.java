package adrank.loaders.presto;

import adrank.loaders.config.PrestoConfig;
import adrank.udfs.stats.HourId;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The only ways text gets into the SQL adrank sends to Presto. Values (days, hours, bucket
 * numbers, limits) are always bound parameters; identifiers are checked against
 * {@link PrestoConfig#IDENTIFIER} here again (whoever built the config) and double-quoted; the
 * few literals Presto does not accept as parameters (table locations in DDL, the arguments of
 * {@code CALL}) are checked against strict patterns and quote-escaped.
 */
public final class PrestoSql {

    /** What a table location may contain (it is a string literal in CREATE TABLE). */
    private static final Pattern LOCATION = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/[A-Za-z0-9_./:@%+=,~-]*");
    private static final Pattern DAY = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    private static final Pattern HOUR = Pattern.compile("[0-9]{2}");

    private PrestoSql() {
    }

    /** A checked, quoted identifier: {@code "name"}. */
    public static String id(String what, String name) {
        if (name == null || !PrestoConfig.IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not allowed in SQL: names must match "
                    + PrestoConfig.IDENTIFIER.pattern());
        }
        return '"' + name + '"';
    }

    /** {@code "catalog"."schema"."table"}. */
    public static String table(String catalog, String schema, String table) {
        return id("catalog", catalog) + "." + id("schema", schema) + "." + id("table", table);
    }

    /** The hidden partitions table of a (checked) table: {@code "catalog"."schema"."table$partitions"}. */
    public static String partitionsTable(String catalog, String schema, String table) {
        id("table", table);
        return id("catalog", catalog) + "." + id("schema", schema) + ".\"" + table + "$partitions\"";
    }

    /** Quoted identifiers joined by ", ". */
    public static String ids(String what, List<String> names) {
        return names.stream().map(n -> id(what, n)).collect(Collectors.joining(", "));
    }

    /** A string literal for a checked name (procedure arguments). */
    public static String nameLiteral(String what, String name) {
        id(what, name);
        return "'" + name + "'";
    }

    /** A table location as a string literal ({@code file:/...}, {@code hdfs://...}). */
    public static String locationLiteral(String location) {
        if (!LOCATION.matcher(location).matches()) {
            throw new IllegalArgumentException("location '" + location + "' cannot be used in Presto DDL: it must be "
                    + "a URI of letters, digits and _./:@%+=,~- only");
        }
        return "'" + location.replace("'", "''") + "'";
    }

    /** The partition values of an hour as literals (for CALL, which takes no parameters). */
    public static String partitionValues(HourId hour) {
        String day = hour.day().toString();
        String hr = hour.hr();
        if (!DAY.matcher(day).matches() || !HOUR.matcher(hr).matches()) {
            throw new IllegalArgumentException("bad partition " + day + " " + hr);
        }
        return "ARRAY['" + day + "', '" + hr + "']";
    }

    /** A local absolute path or a URI as a location URI ({@code /a/b} becomes {@code file:/a/b}). */
    public static String uri(String location) {
        return location.startsWith("/") ? "file:" + location : location;
    }
}
