package adrank.udfs.spark;

import adrank.udfs.event.MalformedRowException;
import adrank.udfs.event.ParsedEvent;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.event.Utf8;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark wrapper around {@link RawEventParser}: parses a partition of raw rows and combines the
 * valid ones per key inside the partition (so what is cached and shuffled is one row per key and
 * input file, not one per event); malformed rows pass through with their reason.
 *
 * <p>Input rows are either {@code (_line, _file)} (text) or the 15 raw columns (17 with
 * {@code unit_id} and {@code variant}) plus {@code _file} (ORC/Parquet). A line or column may be binary (the bytes as stored, decoded here with
 * {@link Utf8#decode} so that bytes which are not UTF-8 are rejected instead of becoming U+FFFD)
 * or a string. Output rows follow {@link #SCHEMA}: valid keys have a null {@code reason}; rejected
 * rows have a null key and carry the line (bytes that were not UTF-8 shown as U+FFFD).
 */
public final class ParseAndCombine implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    public static final StructType SCHEMA = new StructType()
            .add("key", DataTypes.StringType)
            .add("events", DataTypes.LongType, false)
            .add("imps", DataTypes.LongType, false)
            .add("clicks", DataTypes.LongType, false)
            .add("convs", DataTypes.LongType, false)
            .add("rev", DataTypes.LongType, false)
            .add("val", DataTypes.LongType, false)
            .add("reason", DataTypes.StringType)
            .add("detail", DataTypes.StringType)
            .add("file", DataTypes.StringType)
            .add("line", DataTypes.StringType);

    private final RawEventParser parser;
    private final boolean textLines;

    /**
     * @param parser    the configured parser
     * @param textLines true when rows are {@code (_line, _file)}, false for 15 columns + file
     */
    public ParseAndCombine(RawEventParser parser, boolean textLines) {
        this.parser = parser;
        this.textLines = textLines;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        // a read error (a truncated gzip file) names the file it happened in
        Iterator<Row> rows = InputFileException.naming(input, row -> row.getString(row.length() - 1));
        Map<String, long[]> perKey = new HashMap<>();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            ParsedEvent event;
            String line = null;
            String[] fields = null;
            try {
                if (textLines) {
                    line = text(row.get(0));
                    event = parser.parseLine(line);
                } else {
                    // 15 columns, or 17 with unit_id and variant, then the file
                    int columns = row.length() - 1;
                    fields = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        fields[i] = text(row.get(i));
                    }
                    event = parser.parseFields(fields);
                }
            } catch (MalformedRowException e) {
                out.add(RowFactory.create(null, 1L, 0L, 0L, 0L, 0L, 0L, e.reason().code(), e.detail(),
                        row.getString(row.length() - 1), Utf8.display(textLines ? line : renderFields(fields))));
                continue;
            }
            long[] sums = perKey.computeIfAbsent(event.key(), k -> new long[6]);
            sums[0]++;
            switch (event.type()) {
                case IMP:
                    sums[1]++;
                    break;
                case CLICK:
                    sums[2]++;
                    break;
                case CONV:
                    sums[3]++;
                    break;
                default:
                    throw new IllegalStateException("unhandled event type " + event.type());
            }
            sums[4] = Math.addExact(sums[4], event.revenueMicros());
            sums[5] = Math.addExact(sums[5], event.valueMicros());
        }
        for (Map.Entry<String, long[]> e : perKey.entrySet()) {
            long[] s = e.getValue();
            out.add(RowFactory.create(e.getKey(), s[0], s[1], s[2], s[3], s[4], s[5], null, null, null, null));
        }
        return out.iterator();
    }

    /** A line or column as the parser takes it: bytes decoded keeping invalid ones, strings as they are. */
    static String text(Object value) {
        return value instanceof byte[] bytes ? Utf8.decode(bytes) : (String) value;
    }

    private static String renderFields(String[] fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            line.append(fields[i] == null ? "\\N" : fields[i]);
        }
        return line.toString();
    }
}
