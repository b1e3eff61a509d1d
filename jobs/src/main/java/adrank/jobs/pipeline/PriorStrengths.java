package adrank.jobs.pipeline;

import adrank.loaders.spark.ParentModels;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.result.BetweenKeySums;
import adrank.udfs.result.AdModels;
import adrank.udfs.result.AdParents;
import adrank.udfs.result.KeyRuns;
import adrank.udfs.result.ParentLayout;
import adrank.udfs.result.PriorTerms;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.NoiseModel;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.RelativeSpread;
import adrank.udfs.result.RevenueDispersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The empirical-Bayes parts of the rank's prior strength ({@code rank.estimator = empirical-bayes}),
 * fitted over the keys' states in two aggregations: the noise model of every noise segment (which
 * event an ad is billed on and how its prices vary: {@link NoiseModel}), then — with each key's
 * noise and the parent its rank shrinks toward — the spread τ² of every such parent's keys
 * ({@link BetweenKeySums#tau2Around}, around the parent's CPM; where that is 0, the level's pooled
 * {@link RelativeSpread}). Both are small (one entry per ad, one per parent in use) and travel to
 * the executors with the parents.
 *
 * <p>States come with a scope prefix of their segment keys: empty for a run's result stage, the day
 * ({@code yyyyMMdd} and a tab) for the backtest, which fits every D at once.
 */
final class PriorStrengths {

    private static final Logger LOG = LoggerFactory.getLogger(PriorStrengths.class);

    private PriorStrengths() {
    }

    /**
     * The parents with noise models and between-key variances added.
     *
     * @param states   (scope prefix, state) of every key
     * @param parents  the parents without them (their CPMs decide each key's rank parent)
     * @param segments the parent segments in fallback order
     */
    static ParentModels fit(JavaSparkContext jsc, JavaRDD<Tuple2<String, KeyState>> states, ParentModels parents,
            ParentKeys parentKeys, List<List<String>> segments, List<String> noiseSegment, RankSettings settings) {
        long started = System.nanoTime();
        Map<String, NoiseModel> noise = new HashMap<>();
        states.mapToPair(s -> new Tuple2<>(s._1() + parentKeys.of(parentKeys.components(s._2().key()), noiseSegment),
                        RevenueDispersion.of(s._2().rankDays())))
                .reduceByKey(RevenueDispersion::plus)
                .collectAsMap()
                .forEach((key, sums) -> {
                    NoiseModel model = NoiseModel.of(sums);
                    if (model != null) {
                        noise.put(key, model);
                    }
                });
        Broadcast<ParentModels> withNoise = jsc.broadcast(parents.withShrinkage(noise, Map.of()));
        Map<String, Double> tau2 = new HashMap<>();
        Map<String, RelativeSpread> levels = new HashMap<>(); // level (with the scope prefix) -> pooled spread
        Map<String, ParentModel> parentCpms = parents.models(); // the driver's copy: τ² is taken around each CPM
        try {
            states.flatMapToPair(s -> {
                        ParentModels models = withNoise.value();
                        Map<String, ParentModel> byKey = models.models();
                        List<String> components = parentKeys.components(s._2().key());
                        List<ParentModel> chain = new ArrayList<>(segments.size());
                        for (List<String> segment : segments) {
                            chain.add(byKey.get(s._1() + parentKeys.of(components, segment)));
                        }
                        List<Tuple2<String, BetweenKeySums>> out = new ArrayList<>(1);
                        for (Map.Entry<String, BetweenKeySums> term : PriorTerms.of(s._2(), chain,
                                models.noise(s._1() + parentKeys.of(components, noiseSegment)), settings)) {
                            out.add(new Tuple2<>(term.getKey(), term.getValue()));
                        }
                        return out.iterator();
                    })
                    .reduceByKey(BetweenKeySums::plus)
                    .collectAsMap()
                    .forEach((key, sums) -> {
                        ParentModel parent = parentCpms.get(key);
                        Double t = PriorTerms.tau2(parent, sums);
                        if (t != null) {
                            tau2.put(key, t);
                            levels.merge(PriorTerms.level(key), PriorTerms.spread(parent, sums), RelativeSpread::plus);
                        }
                    });
            // a parent whose keys show no spread beyond their noise borrows its level's (pooled) one
            tau2.replaceAll((key, t) -> RelativeSpread.borrowed(t, levels.get(PriorTerms.level(key)).rho2(),
                    parentCpms.get(key).cpm()));
        } finally {
            withNoise.unpersist(true);
            withNoise.destroy();
        }
        LOG.info("results: prior strengths fitted in {} ms: {} noise models, {} parents with a between-key variance; "
                + "relative spread per level {}", (System.nanoTime() - started) / 1_000_000, noise.size(), tau2.size(),
                levels.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey() + "=" + e.getValue().rho2()).toList());
        return parents.withShrinkage(noise, tau2);
    }

    /**
     * The by-ad fit ({@code rank.parents-join = by-ad}): τ² of the shared parents only (segments of many
     * ads, the ads cut by a partition boundary); the parents each run of an ad's keys completes get theirs
     * where the keys' results are computed ({@link AdModels#withBetweenKeyVariance}). Same terms, same
     * exact sums, so the same τ² as {@link #fit}.
     *
     * @param states the stage's key states, each partition in key order
     * @param shared the shared parents with their noise models
     * @return the shared parents with their τ² added
     */
    static ParentModels fitByAd(JavaSparkContext jsc, JavaRDD<KeyState> states, ParentModels shared,
            ParentLayout layout, RankSettings settings, Map<String, NoiseModel> sharedNoise) {
        long started = System.nanoTime();
        Broadcast<ParentModels> withNoise = jsc.broadcast(shared);
        Map<String, Double> tau2 = new HashMap<>();
        Map<String, RelativeSpread> levels = new HashMap<>();
        Map<String, ParentModel> sharedModels = shared.models(); // the driver's copy: τ² is taken around each CPM
        try {
            states.mapPartitionsToPair(partition -> {
                        ParentModels models = withNoise.value();
                        Map<String, ParentModel> byKey = models.models();
                        Map<String, BetweenKeySums> sharedTerms = new HashMap<>();
                        Map<String, RelativeSpread> localLevels = new HashMap<>();
                        KeyRuns<AdParents.Keyed> runs = AdParents.runs(partition, layout);
                        while (runs.hasNext()) {
                            KeyRuns.Run<AdParents.Keyed> run = runs.next();
                            // the run's own parents' τ² is summed again where its results are computed; their
                            // shares in their levels' pooled spread are needed by every run, so they go out
                            AdModels ad = AdModels.of(run, layout, settings, byKey, models::noise);
                            ad.spreads(ad.terms(run, settings, sharedTerms), localLevels);
                        }
                        List<Tuple2<String, FitPart>> out = new ArrayList<>(sharedTerms.size() + localLevels.size());
                        sharedTerms.forEach((key, sums) -> out.add(new Tuple2<>(key, FitPart.of(sums))));
                        localLevels.forEach((level, spread) -> out.add(new Tuple2<>(LEVEL + level, FitPart.of(spread))));
                        return out.iterator();
                    })
                    .reduceByKey(FitPart::plus)
                    .collectAsMap()
                    .forEach((key, part) -> {
                        if (key.startsWith(LEVEL)) {
                            levels.merge(key.substring(LEVEL.length()), part.spread(), RelativeSpread::plus);
                            return;
                        }
                        ParentModel parent = sharedModels.get(key);
                        Double t = PriorTerms.tau2(parent, part.terms());
                        if (t != null) {
                            tau2.put(key, t);
                            levels.merge(PriorTerms.level(key), PriorTerms.spread(parent, part.terms()),
                                    RelativeSpread::plus);
                        }
                    });
        } finally {
            withNoise.unpersist(true);
            withNoise.destroy();
        }
        Map<String, Double> levelSpread = new HashMap<>();
        levels.forEach((level, spread) -> {
            if (spread.rho2() != null) {
                levelSpread.put(level, spread.rho2());
            }
        });
        // a shared parent whose keys show no spread beyond their noise borrows its level's (pooled) one
        tau2.replaceAll((key, t) -> RelativeSpread.borrowed(t, levelSpread.get(PriorTerms.level(key)),
                sharedModels.get(key).cpm()));
        LOG.info("results: prior strengths of the shared parents fitted in {} ms: {} shared noise models, {} shared "
                + "parents with a between-key variance; relative spread per level {}",
                (System.nanoTime() - started) / 1_000_000, sharedNoise.size(), tau2.size(), new java.util.TreeMap<>(levelSpread));
        return shared.withShrinkage(sharedNoise, tau2, levelSpread);
    }

    /** Tags the level spreads among the shared parents' keys (no parent key starts with a control character). */
    private static final String LEVEL = "\u0001level ";

    /** What one partition of the by-ad fit sends: a shared parent's terms, or a level's pooled spread. */
    private record FitPart(BetweenKeySums terms, RelativeSpread spread) implements java.io.Serializable {

        static FitPart of(BetweenKeySums terms) {
            return new FitPart(terms, RelativeSpread.EMPTY);
        }

        static FitPart of(RelativeSpread spread) {
            return new FitPart(BetweenKeySums.EMPTY, spread);
        }

        FitPart plus(FitPart o) {
            return new FitPart(terms.plus(o.terms), spread.plus(o.spread));
        }
    }
}
