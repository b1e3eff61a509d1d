package adrank.udfs.spark;

import adrank.udfs.event.MalformedRowException;
import adrank.udfs.event.ParsedEvent;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.event.RawEventSchema;
import adrank.udfs.event.Utf8;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark wrapper around {@link RawEventParser} for the ETL: validates raw text lines one by one
 * and keeps them as rows (unlike {@link ParseAndCombine}, which combines them per key). Valid
 * rows carry the 15 columns typed as {@code t_bin_events} stores them (money as long) and a null
 * {@code reason}; rejected rows carry the reason, detail, file and line, and null columns.
 *
 * <p>Input rows are {@code (_line, _file)}; the line is binary (the bytes as stored, decoded with
 * {@link Utf8#decode} so that bytes which are not UTF-8 are rejected) or a string.
 */
public final class ParseRows implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    private static final int COLUMNS = RawEventSchema.COLUMNS.size();

    public static final StructType SCHEMA;

    static {
        StructType schema = new StructType();
        for (String column : RawEventSchema.COLUMNS) {
            schema = schema.add(column, column.endsWith("_micros") ? DataTypes.LongType : DataTypes.StringType);
        }
        SCHEMA = schema.add("reason", DataTypes.StringType)
                .add("detail", DataTypes.StringType)
                .add("file", DataTypes.StringType)
                .add("line", DataTypes.StringType);
    }

    private final RawEventParser parser;

    public ParseRows(RawEventParser parser) {
        this.parser = parser;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        // a read error (a truncated gzip file) names the file it happened in
        Iterator<Row> rows = InputFileException.naming(input, row -> row.getString(1));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                Row row = rows.next();
                String line = ParseAndCombine.text(row.get(0));
                Object[] out = new Object[COLUMNS + 4];
                ParsedEvent event;
                try {
                    event = parser.parseLine(line); // the same rules and messages as the hourly job
                } catch (MalformedRowException e) {
                    out[COLUMNS] = e.reason().code();
                    out[COLUMNS + 1] = e.detail();
                    out[COLUMNS + 2] = row.getString(1);
                    out[COLUMNS + 3] = Utf8.display(line);
                    return RowFactory.create(out);
                }
                String[] fields = line.split("\t", -1); // exactly 15: the parser checked it
                for (int i = 0; i < COLUMNS; i++) {
                    out[i] = fields[i];
                }
                out[RawEventSchema.REVENUE_MICROS] = event.revenueMicros();
                out[RawEventSchema.VALUE_MICROS] = event.valueMicros();
                return RowFactory.create(out);
            }
        };
    }
}
