package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.ServedRecord;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.hbase.TableScans;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.eval.AsOfDay;
import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.Scorecard;
import adrank.udfs.eval.Truth;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import adrank.udfs.result.SegmentSumsBlob;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayId;
import adrank.udfs.stats.Limits;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code rank evaluate}: a next-day backtest by re-computation. For every day D of the range, each
 * key's predictions are recomputed as of D from the stored by-day history ({@link AsOfDay}) with
 * the current settings, with parent models aggregated from every key's state as of that same D
 * (as {@link ResultsStage} aggregates them from the states of its run), and scored against what
 * D+1 realised ({@link Scorecard}).
 *
 * <p>Executors scan the state family once; each key yields one state per D. Parent sums are
 * reduced per (D, parent segment) and shipped to every task packed, as the result stage ships
 * them (the broadcast holds {@code days × segments}: a year of a large schema's segments should
 * be evaluated in slices of the range). The key-days are scored per partition and the partial
 * scorecards merged on the driver; the ordering metric groups the key-days by (D, context: the
 * key without its {@code ad_id}), a shuffle of the key-days.
 *
 * <p>{@link Source#SERVED} scores what was published instead of recomputing: the served record of D+1
 * ({@link ServedRecord}, written by {@code publish}) joined with each key's by-day entry of D+1. Optionally the
 * scorecard also holds the metrics per parent segment of one level ({@code --segment-level}).
 */
public final class EvaluateJob {

    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    /** The ad dimension: keys equal but for it compete in one context. */
    public static final String AD_DIMENSION = "ad_id";
    /** NDCG cut-off: the ads an ad server considers in one context. */
    public static final int NDCG_K = 10;

    private EvaluateJob() {
    }

    /**
     * What the backtest found.
     *
     * @param from      the first D
     * @param to        the day after the last D (its entries are only realised, never predicted)
     * @param keys      keys read (with any by-day history)
     * @param faulty    key-days whose counters are faulty (no prediction; not scored)
     * @param newKeys   key-days not scored because the key had no history as of D but data on D+1
     * @param newRevenueMicros their D+1 revenue (outside every calibration)
     * @param scorecard every metric
     * @param truthKeys keys in the truth file (0 without one)
     * @param elapsed   wall time
     * @param source    where the predictions came from; with {@link Source#SERVED}, {@code newKeys} and
     *                  {@code newRevenueMicros} are the key-days with history as of D that nothing was served for on
     *                  D+1, and their D+1 revenue
     */
    public record Outcome(LocalDate from, LocalDate to, long keys, long faulty, long newKeys, long newRevenueMicros,
            Scorecard scorecard, long truthKeys, Duration elapsed, Source source) {
    }

    /** Where the predictions of D come from. */
    public enum Source {
        /** Recomputed as of D from the stored by-day history with the current settings. */
        RECOMPUTE,
        /** What was really served on D+1: the served record of D+1 ({@link ServedRecord}), as published. */
        SERVED
    }

    /**
     * Runs the backtest for D in {@code [from, to)}.
     *
     * @param truth   true values per encoded key (generated data), or null
     * @param buckets the volume thresholds
     */
    public static Outcome run(RunContext ctx, LocalDate from, LocalDate to, Map<String, Truth> truth, Buckets buckets)
            throws IOException {
        return run(ctx, from, to, truth, buckets, null, 0);
    }

    /**
     * Runs the backtest for D in {@code [from, to)}, also per parent segment of one level.
     *
     * @param truth        true values per encoded key (generated data), or null
     * @param buckets      the volume thresholds
     * @param segmentLevel dimensions of the segments to report (a subset of {@code key.dimensions}, not empty), or
     *                     null for none
     * @param segmentTop   how many of the largest segments to report on their own (the rest as one)
     */
    public static Outcome run(RunContext ctx, LocalDate from, LocalDate to, Map<String, Truth> truth, Buckets buckets,
            List<String> segmentLevel, int segmentTop) throws IOException {
        return run(ctx, from, to, truth, buckets, segmentLevel, segmentTop, Source.RECOMPUTE);
    }

    /**
     * Runs the backtest for D in {@code [from, to)} on predictions from {@code source}, also per parent segment of
     * one level when {@code segmentLevel} is given.
     */
    public static Outcome run(RunContext ctx, LocalDate from, LocalDate to, Map<String, Truth> truth, Buckets buckets,
            List<String> segmentLevel, int segmentTop, Source source) throws IOException {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
        }
        Instant start = Instant.now();
        AdrankConfig config = ctx.config();
        ParentKeys parentKeys = new ParentKeys(config.key().dimensions(), config.key().separator());
        int adIndex = config.key().dimensions().indexOf(AD_DIMENSION);
        ImpressionKey codec = new ImpressionKey(config.key().separator());
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
            days.add(d);
        }
        List<String> dims = segmentLevel == null ? null : parentKeys.canonical(segmentLevel);
        if (dims != null && dims.isEmpty()) {
            throw new IllegalArgumentException("a segment level names at least one of " + config.key().dimensions());
        }
        String dimsName = dims == null ? null : String.join(",", dims);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
        Broadcast<Map<String, Truth>> truths = jsc.broadcast(truth == null ? Map.of() : new HashMap<>(truth));
        try {
            java.util.function.Function<Predicted, Outcome> score = p -> {
                double level = config.rank().settings().credibleLevel();
                Scorecard scorecard = p.predictions().aggregate(
                        new Scorecard(buckets, level, NDCG_K, dimsName, segmentTop),
                        (card, prediction) -> card.add(prediction, truths.value().get(prediction.key()),
                                dims == null ? null : parentKeys.of(prediction.key(), dims)),
                        Scorecard::merge);
                Scorecard ordering = p.predictions()
                        .mapToPair(prediction -> new Tuple2<>(DayId.of(prediction.day()) + "\t"
                                + context(codec, parentKeys, adIndex, prediction.key()), prediction))
                        .groupByKey()
                        .aggregate(new Scorecard(buckets, level, NDCG_K, dimsName, segmentTop), (card, group) -> {
                            List<Prediction> ads = new ArrayList<>();
                            group._2().forEach(ads::add);
                            return card.addGroup(ads);
                        }, Scorecard::merge);
                scorecard.merge(ordering);
                Duration elapsed = Duration.between(start, Instant.now());
                LOG.info("evaluate: {} keys, D in [{}, {}), {} key-days scored, {} faulty, in {} ms", p.keys(), from,
                        to, scorecard.keysPerDay().values().stream().mapToLong(Long::longValue).sum(),
                        p.faulty().value(), elapsed.toMillis());
                return new Outcome(from, to, p.keys(), p.faulty().value(), p.newKeys().value(),
                        p.newRevenue().value(), scorecard, truth == null ? 0 : truth.size(), elapsed, source);
            };
            return source == Source.SERVED ? withServedPredictions(ctx, days, to, score)
                    : withPredictions(ctx, days, to, score);
        } finally {
            truths.unpersist(true);
            truths.destroy();
        }
    }

    /**
     * Every key's predictions as of one day D, collected on the driver (tests and small schemas): the rows
     * {@link #run} scores, without requiring D+1 to be folded (its counters are zero when it is not).
     */
    public static List<Prediction> predictionsAsOf(RunContext ctx, LocalDate day) throws IOException {
        return withPredictions(ctx, List.of(day), null, p -> p.predictions().collect());
    }

    /** The predictions of the key-days of a run, with its counters of what was not scored. */
    private record Predicted(JavaRDD<Prediction> predictions, long keys, LongAccumulator faulty,
            LongAccumulator newKeys, LongAccumulator newRevenue) {
    }

    /**
     * Scans the state family, aggregates the parents as of every day, computes every key-day's prediction and
     * hands them to {@code use}; releases what it cached afterwards.
     *
     * @param requireFolded a day that must be folded already (the newest by-day entry of any key at least it),
     *                      or null
     */
    private static <T> T withPredictions(RunContext ctx, List<LocalDate> days, LocalDate requireFolded,
            java.util.function.Function<Predicted, T> use) throws IOException {
        AdrankConfig config = ctx.config();
        ParentKeys parentKeys = new ParentKeys(config.key().dimensions(), config.key().separator());
        List<List<String>> segments = new ArrayList<>(config.rank().parents());
        RankSettings settings = config.rank().settings();
        Limits limits = config.limits();
        ctx.hbaseWithTables();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());

        JavaRDD<Tuple2<String, ByDay>> histories = TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(),
                        new Scan().addFamily(RankSchema.STATE).setCaching(1000).setCacheBlocks(false))
                .map(pair -> {
                    StoredRow row = StoredRow.decode(pair._2());
                    return new Tuple2<>(row.key(), row.byDay());
                })
                .filter(h -> !h._2().isEmpty())
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Prediction> predictions = null;
        ParentModels parents = null;
        Broadcast<ParentModels> parentsBroadcast = null;
        try {
            long keys = histories.count();
            if (requireFolded != null) {
                LocalDate newest = keys == 0 ? null
                        : histories.map(h -> h._2().newestDay()).reduce((a, b) -> a.isAfter(b) ? a : b);
                if (newest == null || newest.isBefore(requireFolded)) {
                    // D+1 is realised only once folded: scoring against an unfolded day would call every key idle
                    throw new RunFailedException("the last day realised (--to " + requireFolded + ") has not been "
                            + "folded: the newest by-day entry of schema " + config.schema() + " is "
                            + (newest == null ? "none" : newest) + "; run daily for it or choose --to <= " + newest);
                }
            }
            JavaPairRDD<String, SegmentSums> parentSums = histories.flatMapToPair(h -> {
                List<String> components = parentKeys.components(h._1());
                List<Tuple2<String, SegmentSums>> out = new ArrayList<>();
                for (LocalDate day : days) {
                    KeyState asOf = AsOfDay.history(h._1(), h._2(), day, limits);
                    if (asOf == null) {
                        continue;
                    }
                    SegmentSums contribution = SegmentSums.of(asOf.rankCounters());
                    for (List<String> segment : segments) {
                        out.add(new Tuple2<>(dayParent(day, parentKeys.of(components, segment)), contribution));
                    }
                }
                return out.iterator();
            }).reduceByKey(SegmentSums::plus);
            parents = new ParentModels(parentSums
                    .mapPartitions(sums -> List.of(SegmentSumsBlob.pack(new MappedIterator<>(sums,
                            pair -> Map.entry(pair._1(), pair._2())))).iterator())
                    .collect(), settings);
            List<String> noiseSegment = config.rank().noiseSegment();
            if (noiseSegment != null) {
                JavaRDD<Tuple2<String, KeyState>> statesAsOf = histories.flatMap(h -> {
                    List<Tuple2<String, KeyState>> out = new ArrayList<>();
                    for (LocalDate day : days) {
                        KeyState asOf = AsOfDay.history(h._1(), h._2(), day, limits);
                        if (asOf != null) {
                            out.add(new Tuple2<>(dayParent(day, ""), asOf));
                        }
                    }
                    return out.iterator();
                });
                ParentModels fitted = PriorStrengths.fit(jsc, statesAsOf, parents, parentKeys, segments, noiseSegment,
                        settings);
                parents = fitted; // shares the unpacked models; released with it when the stage ends
            }
            parentsBroadcast = jsc.broadcast(parents);
            Broadcast<ParentModels> parentModels = parentsBroadcast;
            LongAccumulator faulty = ctx.spark().sparkContext().longAccumulator("evaluate faulty key-days");
            LongAccumulator newKeys = ctx.spark().sparkContext().longAccumulator("evaluate new key-days");
            LongAccumulator newRevenue = ctx.spark().sparkContext().longAccumulator("evaluate new key revenue");
            predictions = histories.mapPartitions(it -> {
                ParentModels shipped = parentModels.value();
                Map<String, ParentModel> models = shipped.models();
                List<Prediction> out = new ArrayList<>();
                while (it.hasNext()) {
                    Tuple2<String, ByDay> h = it.next();
                    List<String> components = parentKeys.components(h._1());
                    for (LocalDate day : days) {
                        KeyState asOf = AsOfDay.history(h._1(), h._2(), day, limits);
                        Counters next = AsOfDay.realised(h._2(), day.plusDays(1));
                        if (asOf == null) {
                            if (!next.isZero()) {
                                newKeys.add(1);
                                newRevenue.add(next.revenueMicros());
                            }
                            continue;
                        }
                        List<ParentModel> chain = new ArrayList<>(segments.size());
                        for (List<String> segment : segments) {
                            chain.add(models.get(dayParent(day, parentKeys.of(components, segment))));
                        }
                        try {
                            out.add(Prediction.of(asOf, chain, settings, day, next, noiseSegment == null ? null
                                    : shipped.noise(dayParent(day, parentKeys.of(components, noiseSegment)))));
                        } catch (InvalidInputException e) {
                            faulty.add(1); // as in the result stage: a faulty key has no prediction
                        }
                    }
                }
                return out.iterator();
            }).persist(StorageLevel.MEMORY_AND_DISK());
            return use.apply(new Predicted(predictions, keys, faulty, newKeys, newRevenue));
        } finally {
            histories.unpersist(true);
            if (predictions != null) {
                predictions.unpersist(true);
            }
            if (parentsBroadcast != null) {
                parentsBroadcast.unpersist(true);
                parentsBroadcast.destroy();
            }
            if (parents != null) {
                parents.release();
            }
        }
    }

    /**
     * The served predictions of every key-day: for each D, the served record of D+1 (what the snapshot published on
     * D+1 held, computed from the data up to D) beside D+1's by-day entry; key-days with history as of D but no
     * served cell are counted (as {@code newKeys}), not scored.
     */
    private static <T> T withServedPredictions(RunContext ctx, List<LocalDate> days, LocalDate requireFolded,
            java.util.function.Function<Predicted, T> use) throws IOException {
        AdrankConfig config = ctx.config();
        Limits limits = config.limits();
        ctx.hbaseWithTables();
        org.apache.hadoop.hbase.TableName servedTable = ServedRecord.table(ctx.schema());
        try (org.apache.hadoop.hbase.client.Admin admin = ctx.hbase().getAdmin()) {
            if (!admin.tableExists(servedTable)) {
                throw new RunFailedException("schema " + config.schema() + " has no served record (" + servedTable
                        + "): publish writes it, one cell per key and day it publishes");
            }
        }
        JavaPairRDD<String, ByDay> histories = TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(),
                        new Scan().addFamily(RankSchema.STATE).setCaching(1000).setCacheBlocks(false))
                .mapToPair(pair -> {
                    StoredRow row = StoredRow.decode(pair._2());
                    return new Tuple2<>(row.key(), row.byDay());
                })
                .filter(h -> !h._2().isEmpty());
        LocalDate firstServed = days.get(0).plusDays(1);
        LocalDate lastServed = days.get(days.size() - 1).plusDays(1);
        JavaPairRDD<String, java.util.TreeMap<LocalDate, ServedRecord.Served>> served = TableScans.rows(ctx.spark(),
                        config.hbase(), servedTable, new Scan().addFamily(ServedRecord.FAMILY).setCaching(1000)
                                .setCacheBlocks(false))
                .mapToPair(pair -> new Tuple2<>(org.apache.hadoop.hbase.util.Bytes.toString(pair._2().getRow()),
                        new java.util.TreeMap<>(ServedRecord.decode(pair._2()).subMap(firstServed, true, lastServed,
                                true))))
                .filter(s -> !s._2().isEmpty());
        JavaPairRDD<String, Tuple2<org.apache.spark.api.java.Optional<ByDay>,
                org.apache.spark.api.java.Optional<java.util.TreeMap<LocalDate, ServedRecord.Served>>>> joined =
                histories.fullOuterJoin(served).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<Prediction> predictions = null;
        try {
            long keys = joined.filter(j -> j._2()._1().isPresent()).count();
            if (requireFolded != null) {
                LocalDate newest = keys == 0 ? null : joined.filter(j -> j._2()._1().isPresent())
                        .map(j -> j._2()._1().get().newestDay()).reduce((a, b) -> a.isAfter(b) ? a : b);
                if (newest == null || newest.isBefore(requireFolded)) {
                    throw new RunFailedException("the last day realised (--to " + requireFolded + ") has not been "
                            + "folded: the newest by-day entry of schema " + config.schema() + " is "
                            + (newest == null ? "none" : newest) + "; run daily for it or choose --to <= " + newest);
                }
            }
            LongAccumulator faulty = ctx.spark().sparkContext().longAccumulator("evaluate served faulty key-days");
            LongAccumulator notServed = ctx.spark().sparkContext().longAccumulator("evaluate key-days not served");
            LongAccumulator notServedRevenue = ctx.spark().sparkContext()
                    .longAccumulator("evaluate revenue of key-days not served");
            predictions = joined.mapPartitions(it -> {
                List<Prediction> out = new ArrayList<>();
                while (it.hasNext()) {
                    var j = it.next();
                    String key = j._1();
                    ByDay history = j._2()._1().orElse(null);
                    Map<LocalDate, ServedRecord.Served> record = j._2()._2().orElse(new java.util.TreeMap<>());
                    for (LocalDate day : days) {
                        Counters next = history == null ? Counters.ZERO : AsOfDay.realised(history, day.plusDays(1));
                        ServedRecord.Served s = record.get(day.plusDays(1));
                        if (s == null) {
                            if (history != null && AsOfDay.history(key, history, day, limits) != null) {
                                notServed.add(1);
                                notServedRevenue.add(next.revenueMicros());
                            }
                            continue;
                        }
                        try {
                            out.add(Prediction.served(day, key, s.history(), next, s.rank(), s.cpm(), s.parentCpm(),
                                    s.vpcLo(), s.vpcHi()));
                        } catch (InvalidInputException e) {
                            faulty.add(1);
                        }
                    }
                }
                return out.iterator();
            }).persist(StorageLevel.MEMORY_AND_DISK());
            return use.apply(new Predicted(predictions, keys, faulty, notServed, notServedRevenue));
        } finally {
            joined.unpersist(true);
            if (predictions != null) {
                predictions.unpersist(true);
            }
        }
    }

    /** The parent key of a segment as of a day: {@code yyyyMMdd}, a tab, the parent key. */
    static String dayParent(LocalDate day, String parentKey) {
        return DayId.of(day) + "\t" + parentKey;
    }

    /** The key without its ad: the context the ad competes in (the whole key without an ad dimension). */
    static String context(ImpressionKey codec, ParentKeys parentKeys, int adIndex, String key) {
        if (adIndex < 0) {
            return key;
        }
        List<String> components = new ArrayList<>(parentKeys.components(key));
        components.remove(adIndex);
        return codec.encode(components);
    }
}
