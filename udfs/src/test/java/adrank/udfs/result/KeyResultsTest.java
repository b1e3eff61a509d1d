package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Today;
import adrank.udfs.stats.Total;
import adrank.udfs.vpc.PriorGuard;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyResultsTest {

    private static final LocalDate D = LocalDate.of(2026, 5, 10);
    private static final RankSettings SETTINGS = new RankSettings(1000, 500, new DriftPolicy(3, 0.5), 1.0, 0.9,
            PriorGuard.DEFAULT, 5);

    private static ParentModel parent(String key, long keys, Counters c, int rateKeys) {
        // two keys with clicks at rates 0.1 and 0.3 make a valid method-of-moments prior
        SegmentSums sums = SegmentSums.EMPTY;
        if (rateKeys >= 2) {
            sums = SegmentSums.of(new Counters(0, 10, 1, 0, 0)).plus(SegmentSums.of(new Counters(0, 10, 3, 0, 0)));
        }
        sums = new SegmentSums(keys, c, sums.rateKeys(), sums.sumRate(), sums.sumRateSq(), sums.sumInvClicks());
        return ParentModel.of(key, sums, SETTINGS);
    }

    private static KeyState state(Counters total, Today today, List<DayStat> days) {
        return new KeyState("k", today, total == null ? null : new Total(days.size(), days.get(days.size() - 1).day(),
                total), new ByDay(days));
    }

    @Test
    void rankShrinksTowardTheFirstParentWithEnoughImpressions() {
        // The first parent has only 100 impressions (< parent-min-impressions 500): the second is used.
        Counters own = new Counters(200, 4, 1, 1_000_000, 0);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        ParentModel thin = parent("a", 1, new Counters(100, 0, 0, 900_000, 0), 0);
        ParentModel wide = parent("b", 10, new Counters(2000, 0, 0, 4_000, 0), 0);
        KeyResult r = KeyResults.compute(s, Arrays.asList(thin, wide), SETTINGS, null);
        // parent cpm = 4,000 micros / 2000 imps * 1000 = 2000 micros per thousand
        assertThat(r.parentKey()).isEqualTo("b");
        assertThat(r.parentCpm()).isEqualTo(2000.0);
        // own cpm = 1,000,000 / 200 * 1000 = 5,000,000; weight = 200 / 1200 = 1/6
        assertThat(r.cpm()).isEqualTo(5_000_000.0);
        assertThat(r.weight()).isCloseTo(1.0 / 6, within(1e-15));
        // rank = 1/6 * 5,000,000 + 5/6 * 2000 = 833,333.33... + 1,666.66... = 835,000
        assertThat(r.rank()).isCloseTo(835_000.0, within(1e-6));
        assertThat(r.vpc()).isNull();
    }

    @Test
    void globalSegmentIsTheLastResortEvenBelowTheMinimum() {
        Counters own = new Counters(10, 0, 0, 50_000, 0);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        ParentModel global = parent("*", 3, new Counters(30, 0, 0, 120_000, 0), 0);
        KeyResult r = KeyResults.compute(s, Arrays.asList(null, global), SETTINGS, null);
        assertThat(r.parentKey()).isEqualTo("*");
        assertThat(r.parentCpm()).isEqualTo(4_000_000.0);
    }

    @Test
    void rankUsesTotalPlusToday() {
        Counters total = new Counters(100, 0, 0, 100_000, 0);
        Today today = new Today(D.plusDays(1), 3, new Counters(100, 0, 0, 300_000, 0));
        KeyState s = state(total, today, List.of(new DayStat(D, total)));
        ParentModel global = parent("*", 1, new Counters(1000, 0, 0, 1_000_000, 0), 0);
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, null);
        // own: 400,000 micros over 200 imps -> cpm 2,000,000
        assertThat(r.cpm()).isEqualTo(2_000_000.0);
    }

    @Test
    void driftFlagsATodayFarFromTheTotalAndHalvesTheWeight() {
        // total: 1000 clicks, 10 conv (1 %); today 100 clicks, 12 conv: expected 1, z = (12 - 1) / 1 = 11 > 3
        Counters total = new Counters(100_000, 1000, 10, 1_000_000, 0);
        Today today = new Today(D.plusDays(1), 5, new Counters(10_000, 100, 12, 100_000, 0));
        KeyState s = state(total, today, List.of(new DayStat(D, total)));
        ParentModel global = parent("*", 1, new Counters(1_000_000, 0, 0, 1_000_000, 0), 0);
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, null);
        assertThat(r.drift()).isCloseTo(11.0, within(1e-12));
        assertThat(r.driftFlag()).isTrue();
        assertThat(r.weight()).isCloseTo(0.5 * 110_000.0 / 111_000.0, within(1e-12));
    }

    @Test
    void vpcWithoutForgettingIsThePlainConjugateSumOverTheHistory() {
        List<DayStat> days = List.of(new DayStat(D, new Counters(1000, 50, 5, 10, 5_000_000)),
                new DayStat(D.minusDays(3), new Counters(1000, 30, 1, 10, 2_000_000)));
        KeyState s = state(days.get(0).counters().plus(days.get(1).counters()), null, days);
        ParentModel global = parent("*", 2, new Counters(5000, 20, 4, 1000, 8_000_000), 2);
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, D);
        double a0 = global.cvrPrior().alpha();
        double b0 = global.cvrPrior().beta();
        assertThat(r.vpc().cvrAlpha()).isCloseTo(a0 + 6, within(1e-9));
        assertThat(r.vpc().cvrBeta()).isCloseTo(b0 + 74, within(1e-9));
        // value prior: shape k+1 = 6, rate k * (8,000,000 / 4) = 10,000,000; plus 6 conversions worth 7,000,000
        assertThat(r.vpc().valueShape()).isCloseTo(12, within(1e-9));
        assertThat(r.vpc().valueRate()).isCloseTo(17_000_000, within(1e-6));
        assertThat(r.vpc().mean()).isBetween(r.vpc().lo(), r.vpc().hi());
        assertThat(r.vpc().vpcParent()).isEqualTo("*");
    }

    @Test
    void rerunningTheSameHistoryGivesTheSamePosterior() {
        RankSettings forgetting = new RankSettings(1000, 0, new DriftPolicy(3, 0.5), 0.9, 0.9, PriorGuard.DEFAULT, 5);
        List<DayStat> days = List.of(new DayStat(D, new Counters(100, 20, 2, 10, 300)),
                new DayStat(D.minusDays(1), new Counters(100, 10, 1, 10, 100)));
        KeyState s = state(new Counters(200, 30, 3, 20, 400), null, days);
        ParentModel global = parent("*", 2, new Counters(5000, 20, 4, 1000, 800), 2);
        assertThat(KeyResults.compute(s, List.of(global), forgetting, D))
                .isEqualTo(KeyResults.compute(s, List.of(global), forgetting, D));
    }

    @Test
    void faultyCountersRaiseAClearError() {
        Counters bad = new Counters(100, 5, 9, 10, 0);
        KeyState s = state(bad, null, List.of(new DayStat(D, bad)));
        ParentModel global = parent("*", 1, new Counters(1000, 0, 0, 1000, 0), 0);
        assertThatThrownBy(() -> KeyResults.compute(s, List.of(global), SETTINGS, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("(9)").hasMessageContaining("(5)");
    }

    @Test
    void segmentSumsMergeInAnyOrderToTheSameBits() {
        SplittableRandom random = new SplittableRandom(7);
        List<SegmentSums> parts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long clicks = random.nextLong(0, 200);
            parts.add(SegmentSums.of(new Counters(clicks * 10, clicks, clicks == 0 ? 0 : random.nextLong(0, clicks + 1),
                    random.nextLong(0, 1_000_000), 0)));
        }
        SegmentSums forward = parts.stream().reduce(SegmentSums.EMPTY, SegmentSums::plus);
        List<SegmentSums> shuffled = new ArrayList<>(parts);
        java.util.Collections.shuffle(shuffled, new java.util.Random(3));
        SegmentSums backward = shuffled.stream().reduce(SegmentSums.EMPTY, SegmentSums::plus);
        assertThat(backward).isEqualTo(forward);
        assertThat(backward.moments()).isEqualTo(forward.moments());
        // and the fixed-point moments agree with the floating-point running moments
        adrank.udfs.vpc.RateMoments running = adrank.udfs.vpc.RateMoments.EMPTY;
        for (SegmentSums p : parts) {
            running = running.add(p.counters().convs(), p.counters().clicks());
        }
        assertThat(forward.moments().keys()).isEqualTo(running.keys());
        assertThat(forward.moments().mean()).isCloseTo(running.mean(), within(1e-9));
        assertThat(forward.moments().sumSquares()).isCloseTo(running.sumSquares(), within(1e-7));
        assertThat(forward.moments().sumInverseClicks()).isCloseTo(running.sumInverseClicks(), within(1e-9));
    }
}
