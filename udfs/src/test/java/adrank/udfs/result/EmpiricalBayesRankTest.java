package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.OpenDays;
import adrank.udfs.stats.Total;
import adrank.udfs.vpc.PriorGuard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The empirical-Bayes prior strength: DerSimonian–Laird's τ² against a published analysis, the
 * billed-event inference and the key's k against values worked out by hand.
 */
class EmpiricalBayesRankTest {

    private static final LocalDate D = LocalDate.of(2026, 5, 10);
    private static final RankSettings SETTINGS = new RankSettings(1000, 500, new DriftPolicy(3, 0.5), 1.0, 0.9,
            PriorGuard.DEFAULT, 5);

    /**
     * The BCG vaccine trials (Colditz et al. 1994; metafor's {@code dat.bcg}): per trial the vaccinated
     * and control arms' TB cases and non-cases. Published: {@code rma(yi, vi, method = "DL")} on the
     * log risk ratios gives Q(df = 12) = 152.2330 and τ² = 0.3088 (metafor documentation, Viechtbauer
     * 2010).
     */
    private static final int[][] BCG = {{4, 119, 11, 128}, {6, 300, 29, 274}, {3, 228, 11, 209},
        {62, 13536, 248, 12619}, {33, 5036, 47, 5761}, {180, 1361, 372, 1079}, {8, 2537, 10, 619},
        {505, 87886, 499, 87892}, {29, 7470, 45, 7232}, {17, 1699, 65, 1600}, {186, 50448, 141, 27197},
        {5, 2493, 3, 2338}, {27, 16886, 29, 17825}};

    private static List<BetweenKeySums> bcgTerms() {
        List<BetweenKeySums> terms = new ArrayList<>();
        for (int[] t : BCG) {
            double yi = Math.log(((double) t[0] / (t[0] + t[1])) / ((double) t[2] / (t[2] + t[3])));
            double vi = 1.0 / t[0] - 1.0 / (t[0] + t[1]) + 1.0 / t[2] - 1.0 / (t[2] + t[3]);
            terms.add(BetweenKeySums.of(yi, vi));
        }
        return terms;
    }

    @Test
    void derSimonianLairdMatchesMetaforOnTheBcgTrials() {
        BetweenKeySums sums = bcgTerms().stream().reduce(BetweenKeySums.EMPTY, BetweenKeySums::plus);
        assertThat(sums.keys()).isEqualTo(13);
        assertThat(sums.q()).isCloseTo(152.2330, within(5e-5));
        assertThat(sums.tau2()).isCloseTo(0.3088, within(5e-5));
    }

    @Test
    void betweenKeySumsDoNotDependOnTheMergeOrder() {
        List<BetweenKeySums> terms = bcgTerms();
        BetweenKeySums inOrder = terms.stream().reduce(BetweenKeySums.EMPTY, BetweenKeySums::plus);
        Collections.shuffle(terms, new Random(7));
        BetweenKeySums left = terms.subList(0, 6).stream().reduce(BetweenKeySums.EMPTY, BetweenKeySums::plus);
        BetweenKeySums right = terms.subList(6, 13).stream().reduce(BetweenKeySums.EMPTY, BetweenKeySums::plus);
        BetweenKeySums shuffled = right.plus(left);
        assertThat(shuffled).isEqualTo(inOrder);
        assertThat(Double.doubleToLongBits(shuffled.tau2())).isEqualTo(Double.doubleToLongBits(inOrder.tau2()));
    }

    @Test
    void homogeneousKeysHaveNoSpreadAndOneKeyHasNone() {
        // Q = 0.5 < K - 1 = 1: the noise explains all the spread, τ² is clamped to 0
        BetweenKeySums two = BetweenKeySums.of(10, 1).plus(BetweenKeySums.of(11, 1));
        assertThat(two.q()).isCloseTo(0.5, within(1e-12));
        assertThat(two.tau2()).isEqualTo(0.0);
        assertThat(BetweenKeySums.of(10, 1).tau2()).isNull();
        assertThatThrownBy(() -> BetweenKeySums.of(10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("variance > 0");
    }

    @Test
    void theSpreadAroundTheParentsCpm() {
        // y = 10 and 14 with variance 1 each around a parent CPM of 11: Q = 1 + 9 = 10, E[Q] = K + τ²·Σw
        // -> τ² = (10 - 2) / 2 = 4; around 12: Q = 4 + 4 = 8 -> 3; keys as close as their noise: 0
        BetweenKeySums two = BetweenKeySums.of(10, 1).plus(BetweenKeySums.of(14, 1));
        assertThat(two.tau2Around(11)).isCloseTo(4.0, within(1e-12));
        assertThat(two.tau2Around(12)).isCloseTo(3.0, within(1e-12));
        assertThat(BetweenKeySums.of(10, 4).plus(BetweenKeySums.of(12, 4)).tau2Around(11)).isEqualTo(0.0);
        // one key tells a spread around a known centre: (3² / 1 - 1) / 1 = 8
        assertThat(BetweenKeySums.of(14, 1).tau2Around(11)).isCloseTo(8.0, within(1e-12));
        assertThat(BetweenKeySums.EMPTY.tau2Around(11)).isNull();
        // a parent without revenue has nothing to spread around
        assertThat(two.tau2Around(0)).isNull();
    }

    @Test
    void aParentWithoutSpreadBorrowsItsLevelsRelativeSpread() {
        // parent A: the two keys above around 11 -> Q - K = 8, μ²·Σw = 121·2 = 242 (its own ρ² = 8/242 = 4/121);
        // parent B: two keys at its CPM 20 with variance 4 -> Q - K = 0 - 2, μ²·Σw = 400·0.5 = 200.
        // Pooled ρ² = (8 - 2) / (242 + 200) = 6/442; B's own τ² is 0 and borrows 6/442 · 20² = 5.4298642...
        BetweenKeySums a = BetweenKeySums.of(10, 1).plus(BetweenKeySums.of(14, 1));
        BetweenKeySums b = BetweenKeySums.of(20, 4).plus(BetweenKeySums.of(20, 4));
        RelativeSpread level = RelativeSpread.of(a, 11).plus(RelativeSpread.of(b, 20));
        assertThat(level.parents()).isEqualTo(2);
        assertThat(level.rho2()).isCloseTo(6.0 / 442, within(1e-15));
        assertThat(RelativeSpread.of(a, 11).rho2()).isCloseTo(4.0 / 121, within(1e-15));
        assertThat(RelativeSpread.of(b, 20).plus(RelativeSpread.of(a, 11))).isEqualTo(level);
        assertThat(b.tau2Around(20)).isEqualTo(0.0);
        assertThat(RelativeSpread.borrowed(b.tau2Around(20), level.rho2(), 20)).isCloseTo(6.0 / 442 * 400, within(1e-12));
        // a positive own spread is kept; no own estimate (null) or a level without spread change nothing
        assertThat(RelativeSpread.borrowed(3.0, level.rho2(), 20)).isEqualTo(3.0);
        assertThat(RelativeSpread.borrowed(null, level.rho2(), 20)).isNull();
        assertThat(RelativeSpread.borrowed(0.0, 0.0, 20)).isEqualTo(0.0);
        assertThat(RelativeSpread.borrowed(0.0, null, 20)).isEqualTo(0.0);
        // parents without revenue or keys add nothing; an empty level has no ρ²
        assertThat(RelativeSpread.of(a, 0)).isEqualTo(RelativeSpread.EMPTY);
        assertThat(RelativeSpread.EMPTY.rho2()).isNull();
    }

    private static DayStat day(int daysBack, long imps, long clicks, long convs, long rev) {
        return new DayStat(D.minusDays(daysBack), new Counters(imps, clicks, convs, rev, 0));
    }

    @Test
    void aCpcKeysRevenueFollowsItsClicks() {
        // price per click 1,000: day 1 two clicks 2,000, day 2 one click 1,000 -> click residuals 0.
        // Per impression (price 15): residuals (2000-1500)/15 and (1000-1500)/15, squared / 100 = 11.11 each.
        // No conversions but revenue: conversions are impossible.
        RevenueDispersion d = RevenueDispersion.of(List.of(day(0, 100, 2, 0, 2000), day(1, 100, 1, 0, 1000)));
        assertThat(d.dispersion(BilledEvent.CLICK).doubleValue()).isEqualTo(0.0);
        assertThat(d.dispersion(BilledEvent.IMPRESSION).doubleValue()).isCloseTo(2 * (500.0 / 15) * (500.0 / 15) / 100,
                within(1e-9));
        assertThat(d.impossible(BilledEvent.CONVERSION)).isEqualTo(1);
        NoiseModel model = NoiseModel.of(d);
        assertThat(model.billed()).isEqualTo(BilledEvent.CLICK);
        assertThat(model.priceDispersion()).isEqualTo(0.0);
        assertThat(model.eventsPerImpression()).isEqualTo(3.0 / 200);
        // (1 + c²) / λ = 1 / 0.015
        assertThat(model.relativeVariance()).isCloseTo(200.0 / 3, within(1e-9));
    }

    @Test
    void aCpmKeysRevenueFollowsItsImpressions() {
        // 100 impressions earn 1,010 then 990 (price 10 per impression): residuals ±10 / 10 = ±1, squared / 100
        // impressions = 0.01 per day -> c² = 0.01. Clicks (one, on day 1): price 2,000, residuals
        // (1,010 - 2,000) / 2,000 and 990 / 2,000, squared = 0.245 each: a worse explanation.
        RevenueDispersion d = RevenueDispersion.of(List.of(day(0, 100, 1, 0, 1010), day(1, 100, 0, 0, 990)));
        assertThat(d.dispersion(BilledEvent.CLICK).doubleValue()).isCloseTo(2 * 0.495 * 0.495, within(1e-12));
        NoiseModel model = NoiseModel.of(d);
        assertThat(model.billed()).isEqualTo(BilledEvent.IMPRESSION);
        assertThat(model.priceDispersion()).isCloseTo(0.01, within(1e-12));
        assertThat(model.eventsPerImpression()).isEqualTo(1.0);
        assertThat(model.relativeVariance()).isCloseTo(0.01, within(1e-12));
    }

    @Test
    void aSegmentWithoutRevenueHasNoNoiseModel() {
        assertThat(NoiseModel.of(RevenueDispersion.of(List.of(day(0, 100, 3, 1, 0))))).isNull();
        assertThat(NoiseModel.of(RevenueDispersion.EMPTY)).isNull();
    }

    @Test
    void segmentSumsPoolTheKeysOfAnAd() {
        // key 1 as above (CPC, clicks explain it exactly); key 2: one click worth 3,000 on 50 impressions
        RevenueDispersion one = RevenueDispersion.of(List.of(day(0, 100, 2, 0, 2000), day(1, 100, 1, 0, 1000)));
        RevenueDispersion two = RevenueDispersion.of(List.of(day(0, 50, 1, 0, 3000)));
        NoiseModel pooled = NoiseModel.of(one.plus(two));
        assertThat(one.plus(two)).isEqualTo(two.plus(one));
        assertThat(pooled.billed()).isEqualTo(BilledEvent.CLICK);
        assertThat(pooled.eventsPerImpression()).isEqualTo(4.0 / 250);
    }

    private static KeyState key(Counters c) {
        return new KeyState("k", OpenDays.NONE, new Total(1, D, c), new ByDay(List.of(new DayStat(D, c))));
    }

    @Test
    void theKeysPriorStrengthIsItsNoiseOverItsParentsSpread() {
        // 200 impressions, 3,000 micros; parent CPM 12,000; fixed (pilot) k = 1,000:
        // pilot = (3,000 + 1,000 * 12,000 / 1,000) / 1,200 * 1,000 = 12,500 (above the parent: θ̂ = 12,500)
        // k = relativeVariance * θ̂² / τ² = (200 / 3) * 12,500² / 1e6 = 10,416.666...
        Counters c = new Counters(200, 3, 0, 3000, 0);
        NoiseModel noise = new NoiseModel(BilledEvent.CLICK, 0.0, 3.0 / 200);
        double k = KeyResults.priorStrength(c, 12_000, 1e6, noise, SETTINGS);
        assertThat(k).isCloseTo(10_416.666_666_7, within(1e-6));
        // the same key before it earned: pilot = 12,000,000 / 1,200 = 10,000 is below the parent, θ̂ = 12,000:
        // k = (200 / 3) * 12,000² / 1e6 = 9,600 (the pilot alone gave 6,666.7: a key at 0 looked less noisy)
        assertThat(KeyResults.priorStrength(new Counters(200, 3, 0, 0, 0), 12_000, 1e6, noise, SETTINGS))
                .isCloseTo(9_600.0, within(1e-9));
        // the rank the jobs store: (3,000 + k * 12) / (200 + k) * 1,000 = 12,056.5...
        ParentModel parent = ParentModel.of("p", SegmentSums.of(new Counters(10_000, 0, 0, 120_000, 0)), SETTINGS)
                .withBetweenKeyVariance(1e6);
        KeyResult r = KeyResults.compute(key(c), List.of(parent), SETTINGS, D, null, noise);
        assertThat(r.rank()).isCloseTo((3000 + 10_416.666_666_666_7 * 12) / (200 + 10_416.666_666_666_7) * 1000,
                within(1e-6));
        assertThat(r.weight()).isCloseTo(200 / (200 + 10_416.666_666_666_7), within(1e-12));
        // its term in the parent's τ²: CPM 15,000 with variance (200 / 3) * 12,500² / 200
        BetweenKeySums term = KeyResults.betweenKeyTerm(key(c), 12_000, noise, SETTINGS);
        assertThat(term.q()).isCloseTo(0.0, within(1e-9));
        // around 12,000: Q = 3,000² / 52,083,333.3 = 0.1728 < K = 1 -> no spread
        assertThat(term.tau2Around(12_000)).isEqualTo(0.0);
        assertThat(term.plus(BetweenKeySums.of(15_000, 1)).keys()).isEqualTo(2);
    }

    @Test
    void withoutANoiseModelOrASpreadTheFixedStrengthApplies() {
        Counters c = new Counters(200, 3, 0, 3000, 0);
        NoiseModel noise = new NoiseModel(BilledEvent.CLICK, 0.0, 3.0 / 200);
        assertThat(KeyResults.priorStrength(c, 12_000, null, noise, SETTINGS)).isEqualTo(1000.0);
        assertThat(KeyResults.priorStrength(c, 12_000, 1e6, null, SETTINGS)).isEqualTo(1000.0);
        // no spread at all (the result stage borrows the level's first): the parent only (the largest k)
        assertThat(KeyResults.priorStrength(c, 12_000, 0.0, noise, SETTINGS)).isEqualTo(KeyResults.MAX_PRIOR_STRENGTH);
        // nothing earned anywhere: nothing to shrink (the smallest k)
        assertThat(KeyResults.priorStrength(new Counters(200, 3, 0, 0, 0), 0, 1e6, noise, SETTINGS))
                .isEqualTo(KeyResults.MIN_PRIOR_STRENGTH);
    }

    @Test
    void theRankDaysAreTheDaysTheTotalCountsPlusTheOpenDays() {
        Counters a = new Counters(10, 0, 0, 100, 0);
        Counters b = new Counters(20, 0, 0, 200, 0);
        Counters old = new Counters(5_000_000, 0, 0, 1, 0);
        KeyState s = new KeyState("k", OpenDays.NONE, new Total(2, D.minusDays(1), a.plus(b)),
                new ByDay(List.of(new DayStat(D, a), new DayStat(D.minusDays(1), b), new DayStat(D.minusDays(2), old))));
        assertThat(s.rankDays()).extracting(DayStat::counters).containsExactly(a, b);
    }
}
