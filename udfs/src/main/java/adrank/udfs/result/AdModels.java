package adrank.udfs.result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The parent and noise models the keys of one run ({@link KeyRuns}) look up: those the run completes
 * (its ad's own segments, when the run holds all of the ad's keys), derived here from the run's keys,
 * and the shared ones (segments of many ads, the segments of ads cut by a partition boundary), given.
 * The two sets are disjoint, and each model is derived by the same pure functions from the same exact
 * sums as when every parent is aggregated at once, so a key's chain is bit-identical to that path's.
 */
public final class AdModels {

    private final ParentLayout layout;
    private final Map<String, ParentModel> local;
    private final Map<String, NoiseModel> localNoise;
    private final Map<String, ParentModel> shared;
    private final Function<String, NoiseModel> sharedNoise;

    private AdModels(ParentLayout layout, Map<String, ParentModel> local, Map<String, NoiseModel> localNoise,
            Map<String, ParentModel> shared, Function<String, NoiseModel> sharedNoise) {
        this.layout = layout;
        this.local = local;
        this.localNoise = localNoise;
        this.shared = shared;
        this.sharedNoise = sharedNoise;
    }

    /**
     * The models of a run.
     *
     * @param shared      the shared parent models (parent key → model)
     * @param sharedNoise the shared noise models (noise key → model or null)
     */
    public static AdModels of(KeyRuns.Run<AdParents.Keyed> run, ParentLayout layout, RankSettings settings,
            Map<String, ParentModel> shared, Function<String, NoiseModel> sharedNoise) {
        Map<String, ParentModel> local = new HashMap<>();
        AdParents.complete(run, layout).forEach((key, sums) -> local.put(key, ParentModel.of(key, sums, settings)));
        Map<String, NoiseModel> localNoise = new HashMap<>();
        AdParents.completeNoise(run, layout).forEach((key, sums) -> {
            NoiseModel model = NoiseModel.of(sums);
            if (model != null) {
                localNoise.put(key, model);
            }
        });
        return new AdModels(layout, local, localNoise, shared, sharedNoise);
    }

    /** How many parents the run completes (the models derived here). */
    public int localParents() {
        return local.size();
    }

    /** The key's parents in fallback order (null where a parent has no row). */
    public List<ParentModel> chain(AdParents.Keyed key) {
        String[] parentKeys = key.parentKeys();
        List<ParentModel> chain = new ArrayList<>(parentKeys.length);
        for (String parentKey : parentKeys) {
            ParentModel model = local.get(parentKey);
            chain.add(model != null ? model : shared.get(parentKey));
        }
        return chain;
    }

    /** The noise model of the key's noise segment, or null. */
    public NoiseModel noise(AdParents.Keyed key) {
        if (!layout.hasNoise()) {
            return null;
        }
        NoiseModel model = localNoise.get(key.noiseKey());
        return model != null ? model : sharedNoise.apply(key.noiseKey());
    }

    /**
     * The run's keys' {@link PriorTerms}: the terms of parents this run completes are summed and
     * returned, the others added to {@code sharedTerms}.
     */
    public Map<String, BetweenKeySums> terms(KeyRuns.Run<AdParents.Keyed> run, RankSettings settings,
            Map<String, BetweenKeySums> sharedTerms) {
        Map<String, BetweenKeySums> localTerms = new HashMap<>();
        for (AdParents.Keyed key : run.items()) {
            for (Map.Entry<String, BetweenKeySums> term : PriorTerms.of(key.state(), chain(key), noise(key),
                    settings)) {
                (local.containsKey(term.getKey()) ? localTerms : sharedTerms).merge(term.getKey(), term.getValue(),
                        BetweenKeySums::plus);
            }
        }
        return localTerms;
    }

    /**
     * The same models with the between-key variance of the run's own parents from their keys' terms
     * ({@link #terms}, which hold every key of those parents: they are all in this run); a parent whose own
     * is 0 borrows its level's ({@link PriorTerms#tau2(ParentModel, BetweenKeySums, Map)}).
     *
     * @param levelSpread level → pooled ρ² over all parents of the level (the stage's, not the run's)
     */
    public AdModels withBetweenKeyVariance(Map<String, BetweenKeySums> localTerms, Map<String, Double> levelSpread) {
        Map<String, ParentModel> withTau2 = new HashMap<>(local);
        localTerms.forEach((key, sums) -> {
            Double tau2 = PriorTerms.tau2(local.get(key), sums, levelSpread);
            if (tau2 != null) {
                withTau2.put(key, local.get(key).withBetweenKeyVariance(tau2));
            }
        });
        return new AdModels(layout, withTau2, localNoise, shared, sharedNoise);
    }

    /** The run's own parents' shares in their levels' {@link RelativeSpread}s, added to {@code levels}. */
    public void spreads(Map<String, BetweenKeySums> localTerms, Map<String, RelativeSpread> levels) {
        localTerms.forEach((key, sums) -> levels.merge(PriorTerms.level(key), PriorTerms.spread(local.get(key), sums),
                RelativeSpread::plus));
    }
}
