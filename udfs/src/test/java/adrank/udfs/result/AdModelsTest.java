package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.key.ParentKeys;
import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.OpenDays;
import adrank.udfs.stats.Total;
import adrank.udfs.vpc.PriorGuard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Parents by ad: what a partition completes on its own and what it shares, against sums added by hand,
 * and every key's chain, noise model and result against the plain aggregation of all keys at once (the
 * broadcast path's rule) on a partitioning that cuts ads.
 */
class AdModelsTest {

    private static final LocalDate D = LocalDate.of(2026, 5, 10);
    private static final RankSettings SETTINGS = new RankSettings(1000, 40, new DriftPolicy(3, 0.5), 0.97, 0.9,
            PriorGuard.DEFAULT, 5);
    private static final List<String> DIMS = List.of("ad_id", "geo", "device");
    private static final ParentKeys PARENT_KEYS = new ParentKeys(DIMS, '|');
    private static final List<List<String>> SEGMENTS = List.of(List.of("ad_id", "geo"), List.of("geo"), List.of());
    private static final ParentLayout LAYOUT = new ParentLayout(PARENT_KEYS, DIMS, SEGMENTS, List.of("ad_id"));

    private static KeyState key(String key, long imps, long revenue) {
        Counters c = new Counters(imps, 0, 0, revenue, 0);
        return new KeyState(key, OpenDays.NONE, new Total(1, D, c), new ByDay(List.of(new DayStat(D, c))));
    }

    @Test
    void aWholeAdsParentsAreCompleteInItsPartitionTheRestIsShared() {
        List<KeyState> partition = List.of(key("a1|CA|m", 100, 200_000), key("a1|US|m", 50, 0),
                key("a2|CA|d", 10, 30_000), key("a2|CA|m", 20, 0), key("a2|US|d", 5, 0), key("a3|CA|m", 7, 1_000));
        KeyRuns<AdParents.Keyed> runs = AdParents.runs(partition.iterator(), LAYOUT);
        Map<String, PartialSums> partials = new HashMap<>();
        List<Map<String, SegmentSums>> complete = new ArrayList<>();
        runs.forEachRemaining(run -> complete.add(AdParents.sum(run, LAYOUT, partials)));

        // a1 opens the partition and a3 closes it: either may continue next door, so theirs are shared
        assertThat(complete.get(0)).isEmpty();
        assertThat(complete.get(2)).isEmpty();
        // a2 lies wholly inside: its [ad_id, geo] parents by hand: CA = 10 + 20 imps, 30,000 micros; US = 5
        assertThat(complete.get(1)).containsOnlyKeys("ad_id,geo:a2|CA", "ad_id,geo:a2|US");
        assertThat(complete.get(1).get("ad_id,geo:a2|CA").encodeCounters()).isEqualTo("30 0 0 30000 0");
        assertThat(complete.get(1).get("ad_id,geo:a2|CA").keys()).isEqualTo(2);
        assertThat(complete.get(1).get("ad_id,geo:a2|US").encodeCounters()).isEqualTo("5 0 0 0 0");

        assertThat(partials).containsOnlyKeys("ad_id,geo:a1|CA", "ad_id,geo:a1|US", "ad_id,geo:a3|CA", "geo:CA",
                "geo:US", "*", "ad_id:a1", "ad_id:a3");
        // geo CA: 100 + 10 + 20 + 7 = 137 imps, 200,000 + 30,000 + 1,000 micros, 4 keys; all six: 192 imps
        assertThat(partials.get("geo:CA").parent().encodeCounters()).isEqualTo("137 0 0 231000 0");
        assertThat(partials.get("geo:CA").parent().keys()).isEqualTo(4);
        assertThat(partials.get("geo:US").parent().encodeCounters()).isEqualTo("55 0 0 0 0");
        assertThat(partials.get("*").parent().encodeCounters()).isEqualTo("192 0 0 231000 0");
        assertThat(partials.get("*").noise()).isNull();
        // the noise sums of the ads at the ends travel; a2's stay (its noise model is derived where its keys are)
        assertThat(partials.get("ad_id:a1").parent()).isNull();
        assertThat(partials.get("ad_id:a1").noise().counters()).isEqualTo(new Counters(150, 0, 0, 200_000, 0));
        assertThat(partials).doesNotContainKey("ad_id:a2");
    }

    @Test
    void aSegmentWithoutTheFirstDimensionAndANoiseSegmentOfManyAdsAreAlwaysShared() {
        ParentLayout layout = new ParentLayout(PARENT_KEYS, DIMS, List.of(List.of("geo", "device"), List.of()),
                List.of("device"));
        assertThat(layout.adScoped(0)).isFalse();
        assertThat(layout.noiseAdScoped()).isFalse();
        List<KeyState> partition = List.of(key("a1|CA|m", 1, 0), key("a2|CA|m", 2, 0), key("a3|CA|m", 3, 0));
        KeyRuns<AdParents.Keyed> runs = AdParents.runs(partition.iterator(), layout);
        Map<String, PartialSums> partials = new HashMap<>();
        runs.forEachRemaining(run -> assertThat(AdParents.sum(run, layout, partials)).isEmpty());
        assertThat(partials.get("geo,device:CA|m").parent().encodeCounters()).isEqualTo("6 0 0 0 0");
        assertThat(partials.get("device:m").noise().counters().imps()).isEqualTo(6);
    }

    /**
     * 8 ads of random keys (counters of several days, clicks, conversions, value), in key order, cut into
     * partitions at every boundary choice that splits an ad; the by-ad models must give each key exactly
     * the chain (models with τ²), noise model and result of the aggregation of all keys at once.
     */
    @Test
    void everyKeyGetsTheChainNoiseAndResultOfTheWholeAggregation() {
        Random random = new Random(13);
        List<KeyState> keys = new ArrayList<>();
        Set<String> names = new TreeSet<>(Comparator.comparing(k -> k, KeyRuns::compareCodePoints));
        for (int ad = 0; ad < 8; ad++) {
            int n = 1 + random.nextInt(9);
            for (int i = 0; i < n; i++) {
                names.add("ad" + ad + "|" + "g" + random.nextInt(3) + "|" + "d" + random.nextInt(4));
            }
        }
        for (String name : names) {
            keys.add(randomState(name, random));
        }
        Whole whole = new Whole(keys);
        // cuts: ad boundaries and the middle of ads, several partitionings
        for (int[] cuts : List.of(new int[] {}, new int[] {keys.size() / 3, 2 * keys.size() / 3},
                new int[] {1, 2, 3, keys.size() - 1}, new int[] {keys.size() / 2})) {
            List<List<KeyState>> partitions = new ArrayList<>();
            int from = 0;
            for (int cut : cuts) {
                partitions.add(keys.subList(from, cut));
                from = cut;
            }
            partitions.add(keys.subList(from, keys.size()));
            checkByAd(partitions, whole);
        }
    }

    private static void checkByAd(List<List<KeyState>> partitions, Whole whole) {
        // pass 1: complete parents per partition, partial sums merged across them
        Map<String, PartialSums> shared = new HashMap<>();
        Map<String, SegmentSums> completed = new HashMap<>();
        for (List<KeyState> partition : partitions) {
            Map<String, PartialSums> partials = new HashMap<>();
            AdParents.runs(partition.iterator(), LAYOUT).forEachRemaining(run -> AdParents.sum(run, LAYOUT, partials)
                    .forEach((k, v) -> assertThat(completed.put(k, v)).as("completed once: " + k).isNull()));
            partials.forEach((k, v) -> shared.merge(k, v, PartialSums::plus));
        }
        Map<String, ParentModel> sharedModels = new HashMap<>();
        Map<String, NoiseModel> sharedNoise = new HashMap<>();
        shared.forEach((k, v) -> {
            if (v.parent() != null) {
                assertThat(completed).as("a parent is completed or shared, never both").doesNotContainKey(k);
                sharedModels.put(k, ParentModel.of(k, v.parent(), SETTINGS));
            }
            if (v.noise() != null && NoiseModel.of(v.noise()) != null) {
                sharedNoise.put(k, NoiseModel.of(v.noise()));
            }
        });
        Set<String> stored = new TreeSet<>(completed.keySet());
        stored.addAll(sharedModels.keySet());
        assertThat(stored).isEqualTo(whole.models.keySet());
        completed.forEach((k, v) -> assertThat(v).isEqualTo(whole.sums.get(k)));
        assertThat(completed.keySet()).as("some parents completed by ad have a τ² (fitted where their keys are)")
                .anyMatch(k -> whole.models.get(k).betweenKeyVariance() != null);
        // pass 2: τ² of the shared parents, and every level's pooled spread (the runs' own parents' shares and
        // the shared parents')
        Map<String, BetweenKeySums> sharedTerms = new HashMap<>();
        Map<String, RelativeSpread> levels = new HashMap<>();
        for (List<KeyState> partition : partitions) {
            AdParents.runs(partition.iterator(), LAYOUT).forEachRemaining(run -> {
                AdModels ad = AdModels.of(run, LAYOUT, SETTINGS, sharedModels, sharedNoise::get);
                ad.spreads(ad.terms(run, SETTINGS, sharedTerms), levels);
            });
        }
        sharedTerms.forEach((k, sums) -> levels.merge(PriorTerms.level(k), PriorTerms.spread(sharedModels.get(k), sums),
                RelativeSpread::plus));
        Map<String, Double> levelSpread = new HashMap<>();
        levels.forEach((level, spread) -> {
            if (spread.rho2() != null) {
                levelSpread.put(level, spread.rho2());
            }
        });
        assertThat(levelSpread).isEqualTo(whole.levelSpread);
        Map<String, ParentModel> sharedWithTau2 = new HashMap<>(sharedModels);
        sharedTerms.forEach((k, sums) -> {
            Double tau2 = PriorTerms.tau2(sharedModels.get(k), sums, levelSpread);
            if (tau2 != null) {
                sharedWithTau2.put(k, sharedModels.get(k).withBetweenKeyVariance(tau2));
            }
        });
        // pass 3: every key's chain, noise and result
        int checked = 0;
        for (List<KeyState> partition : partitions) {
            var runs = AdParents.runs(partition.iterator(), LAYOUT);
            while (runs.hasNext()) {
                var run = runs.next();
                AdModels models = AdModels.of(run, LAYOUT, SETTINGS, sharedWithTau2, sharedNoise::get);
                models = models.withBetweenKeyVariance(models.terms(run, SETTINGS, new HashMap<>()), levelSpread);
                for (AdParents.Keyed key : run.items()) {
                    List<ParentModel> chain = models.chain(key);
                    assertThat(chain).as(key.key()).isEqualTo(whole.chain(key.components()));
                    assertThat(models.noise(key)).isEqualTo(whole.noise.get(LAYOUT.noiseKey(key.components())));
                    assertThat(result(key.state(), chain, models.noise(key)))
                            .isEqualTo(result(key.state(), whole.chain(key.components()),
                                    whole.noise.get(LAYOUT.noiseKey(key.components()))));
                    assertThat(againstStored(key.state(), chain, models.noise(key)))
                            .as("%s ranked against the parent its stored result names", key.key())
                            .isEqualTo(rankOnly(key.state(), chain, models.noise(key)));
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(whole.keys.size());
        assertThat(whole.tau2Count).as("some parents have a τ²").isPositive();
        assertThat(whole.borrowed).as("some parents borrow their level's spread").isPositive();
    }

    private static Object result(KeyState state, List<ParentModel> chain, NoiseModel noise) {
        try {
            KeyResult r = KeyResults.compute(state, chain, SETTINGS, D, D, noise);
            return List.of(r.rankColumns(), r.vpcColumns());
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /** The rank columns of an hourly run's full stage (no VPC). */
    private static Object rankOnly(KeyState state, List<ParentModel> chain, NoiseModel noise) {
        try {
            return KeyResults.compute(state, chain, SETTINGS, D, null, noise).rankColumns();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /**
     * The rank columns an incremental hour computes for a known key: against the parent its result names, with the
     * CPM as the result stores it (text) and the τ² and noise model through their stored text ({@link KeyBasis}).
     */
    private static Object againstStored(KeyState state, List<ParentModel> chain, NoiseModel noise) {
        try {
            KeyResult full = KeyResults.compute(state, chain, SETTINGS, D, null, noise);
            ParentModel rankParent = KeyResults.rankParent(chain, SETTINGS);
            KeyBasis stored = KeyBasis.decode(new KeyBasis(rankParent == null ? null : rankParent.betweenKeyVariance(),
                    noise).encode());
            String parent = full.rankColumns().get("parent");
            ParentModel chosen = parent.isEmpty() ? null : ParentModel.chosen(parent,
                    Double.parseDouble(full.rankColumns().get("parent_cpm")), stored.tau2());
            return KeyResults.computeAgainst(state, chosen, SETTINGS, D, stored.noise()).rankColumns();
        } catch (InvalidInputException e) {
            return e.getMessage();
        }
    }

    /** The aggregation of all keys at once: what the broadcast path ships to every task. */
    private static final class Whole {
        final List<KeyState> keys;
        final Map<String, SegmentSums> sums = new HashMap<>();
        final Map<String, ParentModel> models = new HashMap<>();
        final Map<String, NoiseModel> noise = new HashMap<>();
        final Map<String, Double> levelSpread = new HashMap<>();
        int tau2Count;
        int borrowed;

        Whole(List<KeyState> keys) {
            this.keys = keys;
            Map<String, RevenueDispersion> dispersion = new HashMap<>();
            for (KeyState k : keys) {
                List<String> c = PARENT_KEYS.components(k.key());
                for (List<String> segment : SEGMENTS) {
                    sums.merge(PARENT_KEYS.of(c, segment), SegmentSums.of(k.rankCounters()), SegmentSums::plus);
                }
                dispersion.merge(PARENT_KEYS.of(c, List.of("ad_id")), RevenueDispersion.of(k.rankDays()),
                        RevenueDispersion::plus);
            }
            sums.forEach((key, s) -> models.put(key, ParentModel.of(key, s, SETTINGS)));
            dispersion.forEach((key, d) -> {
                if (NoiseModel.of(d) != null) {
                    noise.put(key, NoiseModel.of(d));
                }
            });
            Map<String, BetweenKeySums> terms = new HashMap<>();
            for (KeyState k : keys) {
                List<String> c = PARENT_KEYS.components(k.key());
                for (var term : PriorTerms.of(k, chainOf(c, models), noise.get(PARENT_KEYS.of(c, List.of("ad_id"))),
                        SETTINGS)) {
                    terms.merge(term.getKey(), term.getValue(), BetweenKeySums::plus);
                }
            }
            Map<String, RelativeSpread> levels = new HashMap<>();
            terms.forEach((key, t) -> levels.merge(PriorTerms.level(key), PriorTerms.spread(models.get(key), t),
                    RelativeSpread::plus));
            levels.forEach((level, spread) -> {
                if (spread.rho2() != null) {
                    levelSpread.put(level, spread.rho2());
                }
            });
            terms.forEach((key, t) -> {
                Double tau2 = PriorTerms.tau2(models.get(key), t, levelSpread);
                if (tau2 != null && tau2 > 0 && PriorTerms.tau2(models.get(key), t) == 0) {
                    borrowed++;
                }
                if (tau2 != null) {
                    models.put(key, models.get(key).withBetweenKeyVariance(tau2));
                    tau2Count++;
                }
            });
        }

        List<ParentModel> chain(List<String> components) {
            return chainOf(components, models);
        }

        private static List<ParentModel> chainOf(List<String> components, Map<String, ParentModel> models) {
            List<ParentModel> chain = new ArrayList<>();
            for (List<String> segment : SEGMENTS) {
                chain.add(models.get(PARENT_KEYS.of(components, segment)));
            }
            return chain;
        }
    }

    /** Two or three days of counters an ad server could log (clicks and conversions lagged, money on events). */
    private static KeyState randomState(String key, Random random) {
        boolean cpm = key.charAt(2) % 2 == 0; // even ads bill impressions, odd ones clicks
        List<DayStat> days = new ArrayList<>();
        Counters total = Counters.ZERO;
        int n = 2 + random.nextInt(2);
        for (int d = 0; d < n; d++) {
            long imps = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(3000);
            long clicks = random.nextInt(1 + (int) imps / 20 + 1);
            long convs = random.nextInt(3) == 0 ? clicks + 1 : random.nextInt((int) clicks + 1);
            long events = cpm ? imps : clicks;
            long revenue = events * (cpm ? 1_500 + random.nextInt(500) : 200_000 + random.nextInt(50_000));
            long value = convs * (1_000_000 + random.nextInt(1_000_000));
            Counters c = new Counters(imps, clicks, convs, revenue, value);
            days.add(new DayStat(D.minusDays(2L * d), c)); // newest first
            total = total.plus(c);
        }
        return new KeyState(key, OpenDays.NONE, new Total(n, days.get(n - 1).day(), total), new ByDay(days));
    }
}
