package adrank.jobs.pipeline;

import adrank.loaders.spark.ParentModels;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.result.BetweenKeySums;
import adrank.udfs.result.KeyResults;
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

    /** A parent key's level: its segment's dimension names with the scope prefix ({@code *} for the global one). */
    private static String level(String parentKey) {
        int colon = parentKey.indexOf(':');
        return colon < 0 ? parentKey : parentKey.substring(0, colon);
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
                        ParentModel parent = KeyResults.rankParent(chain, settings);
                        if (parent == null || parent.cpm() == null) {
                            return List.<Tuple2<String, BetweenKeySums>>of().iterator();
                        }
                        BetweenKeySums term = KeyResults.betweenKeyTerm(s._2(), parent.cpm(),
                                models.noise(s._1() + parentKeys.of(components, noiseSegment)), settings);
                        return term == null ? List.<Tuple2<String, BetweenKeySums>>of().iterator()
                                : List.of(new Tuple2<>(parent.parentKey(), term)).iterator();
                    })
                    .reduceByKey(BetweenKeySums::plus)
                    .collectAsMap()
                    .forEach((key, sums) -> {
                        ParentModel parent = parentCpms.get(key);
                        if (parent == null || parent.cpm() == null) {
                            return;
                        }
                        Double t = sums.tau2Around(parent.cpm());
                        if (t != null) {
                            tau2.put(key, t);
                            levels.merge(level(key), RelativeSpread.of(sums, parent.cpm()), RelativeSpread::plus);
                        }
                    });
            // a parent whose keys show no spread beyond their noise borrows its level's (pooled) one
            tau2.replaceAll((key, t) -> RelativeSpread.borrowed(t, levels.get(level(key)).rho2(),
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
}
