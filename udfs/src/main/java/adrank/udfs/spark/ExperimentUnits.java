package adrank.udfs.spark;

import adrank.udfs.event.MalformedRowException;
import adrank.udfs.event.ParsedEvent;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.experiment.Variant;
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
 * Spark wrapper of the A/B readout's first step: parses raw rows with {@link RawEventParser} (the
 * same validation as {@code hourly}) and keeps the events of one experiment, combined per (hour,
 * arm, unit, variant) inside the partition, so what is shuffled is one row per unit and hour, not
 * one per event. Every other row is tallied by why it was left out in rows with a null arm:
 * {@code reason} is the reject code of a malformed row, {@value #OUTSIDE} for a valid event of no
 * or another experiment.
 *
 * <p>Input rows are those of {@code HourPartitions.read} with the hour id appended:
 * {@code (_line, _file, _hour)} (text) or the 15/17 columns, {@code _file}, {@code _hour}.
 */
public final class ExperimentUnits implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    /** The reason of valid events that are not in the experiment. */
    public static final String OUTSIDE = "outside_experiment";

    public static final StructType SCHEMA = new StructType()
            .add("hour", DataTypes.StringType, false)
            .add("arm", DataTypes.StringType)
            .add("unit", DataTypes.StringType)
            .add("variant", DataTypes.StringType)
            .add("reason", DataTypes.StringType)
            .add("events", DataTypes.LongType, false)
            .add("imps", DataTypes.LongType, false)
            .add("clicks", DataTypes.LongType, false)
            .add("convs", DataTypes.LongType, false)
            .add("rev", DataTypes.LongType, false)
            .add("val", DataTypes.LongType, false);

    private final RawEventParser parser;
    private final boolean textLines;
    private final String experiment;

    public ExperimentUnits(RawEventParser parser, boolean textLines, String experiment) {
        this.parser = parser;
        this.textLines = textLines;
        this.experiment = experiment;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        Iterator<Row> rows = InputFileException.naming(input, row -> row.getString(row.length() - 2));
        Map<List<String>, long[]> sums = new HashMap<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            String hour = row.getString(row.length() - 1);
            ParsedEvent event;
            try {
                if (textLines) {
                    event = parser.parseLine(ParseAndCombine.text(row.get(0)));
                } else {
                    String[] fields = new String[row.length() - 2];
                    for (int i = 0; i < fields.length; i++) {
                        fields[i] = ParseAndCombine.text(row.get(i));
                    }
                    event = parser.parseFields(fields);
                }
            } catch (MalformedRowException e) {
                sums.computeIfAbsent(java.util.Arrays.asList(hour, null, null, null, e.reason().code()),
                        k -> new long[6])[0]++;
                continue;
            }
            Variant v = event.variant();
            if (v == null || !v.experiment().equals(experiment)) {
                sums.computeIfAbsent(java.util.Arrays.asList(hour, null, null, null, OUTSIDE), k -> new long[6])[0]++;
                continue;
            }
            long[] s = sums.computeIfAbsent(java.util.Arrays.asList(hour, v.arm().name(), event.unitId(), v.text(), null),
                    k -> new long[6]);
            s[0]++;
            switch (event.type()) {
                case IMP -> s[1]++;
                case CLICK -> s[2]++;
                case CONV -> s[3]++;
                default -> throw new IllegalStateException("unhandled event type " + event.type());
            }
            s[4] = Math.addExact(s[4], event.revenueMicros());
            s[5] = Math.addExact(s[5], event.valueMicros());
        }
        List<Row> out = new ArrayList<>(sums.size());
        for (Map.Entry<List<String>, long[]> e : sums.entrySet()) {
            List<String> k = e.getKey();
            long[] s = e.getValue();
            out.add(RowFactory.create(k.get(0), k.get(1), k.get(2), k.get(3), k.get(4), s[0], s[1], s[2], s[3], s[4], s[5]));
        }
        return out.iterator();
    }
}
