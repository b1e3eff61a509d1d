package adrank.jobs.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hive.HourPartitions;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.experiment.ArmSums;
import adrank.udfs.experiment.Readout;
import adrank.udfs.spark.ExperimentUnits;
import adrank.udfs.stats.HourId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank abtest report}: the A/B readout of one experiment over a range of hours, read from
 * the raw events (the same input settings as {@code hourly}: {@code t_agg_key_hourly} has no units,
 * so the readout needs {@code t_raw_events} or {@code t_bin_events} with the two trailing columns).
 *
 * <ol>
 *   <li>read every hour's partition and keep the experiment's events, per (hour, arm, unit)
 *       ({@link ExperimentUnits});</li>
 *   <li>per (arm, unit), running totals over the hours; what each unit-hour adds to its arm's
 *       sufficient sums ({@link ArmSums}: the squares and cross products of the unit's running
 *       totals, now minus before) is summed per (arm, hour) — so the driver gets two rows per hour,
 *       never units, and the cumulative sums at every hour are exact;</li>
 *   <li>on the driver, cumulative sums per hour, and at every hour the {@link Readout} (delta-method
 *       intervals clustered by unit, lift, SRM).</li>
 * </ol>
 */
public final class AbtestJob {

    private static final Logger LOG = LoggerFactory.getLogger(AbtestJob.class);

    private AbtestJob() {
    }

    /** What the readout is asked. */
    public record Request(String experiment, List<HourId> hours, double bShare, double confidence, double tuning,
            double srmThreshold, boolean skipMissing) {
    }

    /**
     * The readout.
     *
     * @param hours       hours read (missing ones skipped with {@code --skip-missing} are not in it)
     * @param missing     hours skipped
     * @param cumulative  the readout as of the end of each hour read (the last is the answer)
     * @param overall     the readout over all hours
     * @param variants    variant texts seen per arm, with their events
     * @param rowsIn      rows read
     * @param left        rows left out, per reason (reject codes, {@link ExperimentUnits#OUTSIDE})
     * @param unitsInBothArms units logged in both arms (a routing or logging fault when not 0)
     */
    public record Outcome(Request request, List<HourId> hours, List<HourId> missing,
            Map<HourId, Readout> cumulative, Readout overall, Map<String, Long> variants, long rowsIn,
            Map<String, Long> left, long unitsInBothArms, Duration elapsed) {
    }

    public static Outcome run(RunContext ctx, Request request) {
        long start = System.nanoTime();
        AdrankConfig config = ctx.config();
        HourPartitions partitions = new HourPartitions(ctx.spark(), config.input());
        List<HourId> read = new ArrayList<>();
        List<HourId> missing = new ArrayList<>();
        Dataset<Row> raw = null;
        for (HourId hour : request.hours()) {
            if (request.skipMissing() && !partitions.directoryExists(hour)) {
                missing.add(hour);
                continue;
            }
            Dataset<Row> rows = partitions.read(partitions.locate(hour)).withColumn("_hour", lit(hour.id()));
            raw = raw == null ? rows : raw.unionByName(rows, true);
            read.add(hour);
        }
        if (raw == null) {
            throw new IllegalArgumentException("no hour of " + request.hours().get(0) + " .. "
                    + request.hours().get(request.hours().size() - 1) + " has a partition under "
                    + config.input().tableLocation());
        }
        // text: (_line, _file, _hour); ORC/Parquet: columns, _file, _hour (unionByName keeps that order)
        RawEventParser parser = new RawEventParser(config.key().dimensions(), config.key().separator());
        Dataset<Row> units = raw.mapPartitions(new ExperimentUnits(parser, config.input().format().equals("text"),
                request.experiment()), Encoders.row(ExperimentUnits.SCHEMA)).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> left = new TreeMap<>();
            Map<String, Long> variants = new TreeMap<>();
            long rowsIn = 0;
            for (Row r : units.groupBy("reason", "variant").agg(sum("events")).collectAsList()) {
                long n = r.getLong(2);
                rowsIn += n;
                if (!r.isNullAt(0)) {
                    left.merge(r.getString(0), n, Long::sum);
                } else {
                    variants.merge(r.getString(1), n, Long::sum);
                }
            }
            Dataset<Row> inExperiment = units.filter(col("reason").isNull());
            long both = inExperiment.groupBy("unit").agg(countDistinct("arm").as("arms"))
                    .filter(col("arms").gt(1)).count();
            Map<String, ArmSums[]> deltas = hourlyDeltas(inExperiment);
            Map<HourId, Readout> cumulative = new java.util.LinkedHashMap<>();
            ArmSums a = ArmSums.EMPTY;
            ArmSums b = ArmSums.EMPTY;
            for (HourId hour : read) {
                ArmSums[] d = deltas.get(hour.id());
                if (d != null) {
                    a = plus(a, d[0]);
                    b = plus(b, d[1]);
                }
                cumulative.put(hour, Readout.of(a, b, request.bShare(), request.confidence(), request.tuning(),
                        request.srmThreshold()));
            }
            Readout last = cumulative.get(read.get(read.size() - 1));
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("abtest {}: {} hours, {} units in A, {} in B, {}", request.experiment(), read.size(),
                    a.units(), b.units(), elapsed);
            return new Outcome(request, read, missing, cumulative, last, variants, rowsIn, left, both, elapsed);
        } finally {
            units.unpersist(true);
        }
    }

    private static ArmSums plus(ArmSums sums, ArmSums delta) {
        return delta == null ? sums : sums.plus(delta);
    }

    /**
     * Per hour, what each arm's sufficient sums gain: units seen for the first time, the hour's
     * counters, and for the squares and cross products {@code f(running total) − f(running total
     * before)} of every unit active in the hour. Index 0 = A, 1 = B.
     */
    static Map<String, ArmSums[]> hourlyDeltas(Dataset<Row> inExperiment) {
        String[] counters = {"imps", "clicks", "convs", "rev", "val"};
        Column[] sums = new Column[counters.length];
        for (int i = 0; i < counters.length; i++) {
            sums[i] = sum(counters[i]).as(counters[i]);
        }
        Dataset<Row> unitHours = inExperiment.groupBy("arm", "unit", "hour").agg(sums[0], sums[1], sums[2], sums[3], sums[4]);
        WindowSpec running = Window.partitionBy("arm", "unit").orderBy("hour")
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
        WindowSpec ordered = Window.partitionBy("arm", "unit").orderBy("hour");
        Dataset<Row> cum = unitHours;
        for (String c : counters) {
            cum = cum.withColumn("c_" + c, sum(col(c)).over(running).cast("double"));
        }
        for (String c : counters) {
            cum = cum.withColumn("p_" + c, coalesce(lag(col("c_" + c), 1).over(ordered), lit(0.0)));
        }
        cum = cum.withColumn("first", when(lag(col("hour"), 1).over(ordered).isNull(), lit(1L)).otherwise(lit(0L)));
        String[][] products = {{"rev", "rev"}, {"imps", "imps"}, {"clicks", "clicks"}, {"convs", "convs"},
            {"val", "val"}, {"rev", "imps"}, {"clicks", "imps"}, {"convs", "clicks"}, {"val", "clicks"}};
        List<Column> aggs = new ArrayList<>();
        aggs.add(sum("first").as("units"));
        for (String c : counters) {
            aggs.add(sum(c).as(c));
        }
        for (String[] p : products) {
            Column now = col("c_" + p[0]).multiply(col("c_" + p[1]));
            Column before = col("p_" + p[0]).multiply(col("p_" + p[1]));
            aggs.add(sum(now.minus(before)).as(p[0] + "_" + p[1]));
        }
        Map<String, ArmSums[]> out = new HashMap<>();
        for (Row r : cum.groupBy("hour", "arm").agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(new Column[0]))
                .collectAsList()) {
            ArmSums s = new ArmSums(r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7),
                    r.getDouble(8), r.getDouble(9), r.getDouble(10), r.getDouble(11), r.getDouble(12), r.getDouble(13),
                    r.getDouble(14), r.getDouble(15), r.getDouble(16));
            out.computeIfAbsent(r.getString(0), k -> new ArmSums[2])["A".equals(r.getString(1)) ? 0 : 1] = s;
        }
        return out;
    }

    /** The hours of {@code from} .. {@code to}, both inclusive, oldest first. */
    public static List<HourId> hours(HourId from, HourId to) {
        List<HourId> hours = new ArrayList<>();
        java.time.LocalDateTime t = from.day().atTime(from.hour(), 0);
        java.time.LocalDateTime end = to.day().atTime(to.hour(), 0);
        for (; !t.isAfter(end); t = t.plusHours(1)) {
            hours.add(new HourId(t.toLocalDate(), t.getHour()));
        }
        return hours;
    }

}
