package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.OpenDays;
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

    /** A parent with counters {@code c}; with rate keys, those of two keys at rates 0 and 0.4 on 10 clicks. */
    private static ParentModel parent(String key, long keys, Counters c, int rateKeys) {
        long[] words = SegmentSums.of(c).words(); // the counter sums (the first 10 words)
        long rates = 0;
        if (rateKeys >= 2) {
            long[] rateWords = SegmentSums.of(new Counters(0, 10, 0, 0, 0))
                    .plus(SegmentSums.of(new Counters(0, 10, 4, 0, 0))).words();
            System.arraycopy(rateWords, 10, words, 10, 6);
            rates = 2;
        } else {
            java.util.Arrays.fill(words, 10, 16, 0L);
        }
        return ParentModel.of(key, SegmentSums.ofWords(keys, rates, words), SETTINGS);
    }

    private static KeyState state(Counters total, Today today, List<DayStat> days) {
        return new KeyState("k", today == null ? OpenDays.NONE : new OpenDays(List.of(today)),
                total == null ? null : new Total(days.size(), days.get(days.size() - 1).day(), total), new ByDay(days));
    }

    @Test
    void rankShrinksTowardTheFirstParentWithEnoughImpressions() {
        // The first parent has only 100 impressions (< parent-min-impressions 500): the second is used.
        Counters own = new Counters(200, 4, 1, 1_000_000, 0);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        ParentModel thin = parent("a", 1, new Counters(100, 0, 0, 900_000, 0), 0);
        ParentModel wide = parent("b", 10, new Counters(2000, 0, 0, 4_000, 0), 0);
        KeyResult r = KeyResults.compute(s, Arrays.asList(thin, wide), SETTINGS, D, null);
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

    /** A parent with counters {@code c} whose two rate keys converted {@code convsA} and {@code convsB} of 10 clicks each. */
    private static ParentModel parentWithRates(String key, Counters c, long convsA, long convsB) {
        long[] words = SegmentSums.of(c).words();
        long[] rateWords = SegmentSums.of(new Counters(0, 10, convsA, 0, 0))
                .plus(SegmentSums.of(new Counters(0, 10, convsB, 0, 0))).words();
        System.arraycopy(rateWords, 10, words, 10, 6);
        return ParentModel.of(key, SegmentSums.ofWords(2, 2, words), SETTINGS);
    }

    @Test
    void aSegmentWhosePriorIsTheClampOfADegenerateEstimateLendsNoVpcPrior() {
        Counters sums = new Counters(5000, 20, 2, 10_000_000, 8_000_000);
        // both keys convert 1 of 10 clicks: the observed spread (0) is below the Poisson noise
        // (m / n = 0.01), so the between-key variance estimate is <= 0 and the strength is clamped
        ParentModel degenerate = parentWithRates("ad1|US", sums, 1, 1);
        assertThat(degenerate.priorGuard()).isEqualTo(adrank.udfs.vpc.EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(degenerate.cvrPrior().rate()).isEqualTo(PriorGuard.DEFAULT.maxStrength());
        // rates 0 and 0.4: m = 0.2, sample variance 0.08, noise m / n = 0.02 -> v = 0.06, strength 0.2 / 0.06
        ParentModel global = parentWithRates("*", sums, 0, 4);
        assertThat(global.priorGuard()).isEqualTo(adrank.udfs.vpc.EmpiricalBayesPrior.Guard.NONE);
        assertThat(global.cvrPrior().rate()).isCloseTo(0.2 / 0.06, within(1e-9));

        Counters own = new Counters(600, 6, 1, 3_000_000, 2_000_000);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        KeyResult r = KeyResults.compute(s, Arrays.asList(degenerate, global), SETTINGS, D, D);
        assertThat(r.parentKey()).isEqualTo("ad1|US"); // the rank still shrinks toward the finer segment
        assertThat(r.vpc().vpcParent()).isEqualTo("*");
        // a degenerate global segment is still the last resort
        ParentModel degenerateGlobal = parentWithRates("*", sums, 1, 1);
        assertThat(KeyResults.compute(s, Arrays.asList(degenerate, degenerateGlobal), SETTINGS, D, D).vpc().vpcParent())
                .isEqualTo("*");
    }

    @Test
    void globalSegmentIsTheLastResortEvenBelowTheMinimum() {
        Counters own = new Counters(10, 0, 0, 50_000, 0);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        ParentModel global = parent("*", 3, new Counters(30, 0, 0, 120_000, 0), 0);
        KeyResult r = KeyResults.compute(s, Arrays.asList(null, global), SETTINGS, D, null);
        assertThat(r.parentKey()).isEqualTo("*");
        assertThat(r.parentCpm()).isEqualTo(4_000_000.0);
    }

    @Test
    void rankUsesTotalPlusToday() {
        Counters total = new Counters(100, 0, 0, 100_000, 0);
        Today today = new Today(D.plusDays(1), 3, new Counters(100, 0, 0, 300_000, 0));
        KeyState s = state(total, today, List.of(new DayStat(D, total)));
        ParentModel global = parent("*", 1, new Counters(1000, 0, 0, 1_000_000, 0), 0);
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, D.plusDays(1), null);
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
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, D.plusDays(1), null);
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
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, D, D);
        // prior from rates 0 and 0.4 on 10 clicks (EmpiricalBayesTest): shape 2/3, rate 10/3 clicks
        assertThat(global.cvrPrior().shape()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(global.cvrPrior().rate()).isCloseTo(10.0 / 3, within(1e-9));
        assertThat(r.vpc().cvrShape()).isCloseTo(2.0 / 3 + 6, within(1e-9));
        assertThat(r.vpc().cvrRate()).isCloseTo(10.0 / 3 + 80, within(1e-9));
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
        assertThat(KeyResults.compute(s, List.of(global), forgetting, D, D))
                .isEqualTo(KeyResults.compute(s, List.of(global), forgetting, D, D));
    }

    @Test
    void lateConversionsAboveClicksInAnHourADayAndTheTotalAreData() {
        // CPA key: day D-1 had 2 clicks and 5 conversions (3 of them from clicks of earlier days, one
        // view-through), day D 10 clicks and 0 conversions; today (open) 1 click and 4 conversions.
        // Revenue on conversions. Hand-computed with λ = 1 (plain conjugate sums):
        List<DayStat> days = List.of(new DayStat(D, new Counters(400, 10, 0, 0, 0)),
                new DayStat(D.minusDays(1), new Counters(100, 2, 5, 2_500_000, 100_000_000)));
        Counters total = new Counters(500, 12, 5, 2_500_000, 100_000_000);
        Today today = new Today(D.plusDays(1), 2, new Counters(0, 1, 4, 2_000_000, 80_000_000));
        KeyState s = state(total, today, days);
        ParentModel global = parent("*", 2, new Counters(5000, 20, 4, 1000, 8_000_000), 2);
        KeyResult r = KeyResults.compute(s, List.of(global), SETTINGS, D.plusDays(1), D);
        // rank counters = total + today = 500 imps, 4,500,000 micros: cpm 9,000,000; weight 500/1500
        assertThat(r.cpm()).isEqualTo(9_000_000.0);
        // drift of today against the total: rate 5/12 per click, 1 click today expects 5/12;
        // z = (4 − 5/12) / sqrt(max(5/12, 0.5)) = (43/12) / sqrt(0.5) = 5.0675…; |z| > 3 halves the weight
        assertThat(r.drift()).isCloseTo((43.0 / 12) / Math.sqrt(0.5), within(1e-12));
        assertThat(r.driftFlag()).isTrue();
        assertThat(r.weight()).isCloseTo(1.0 / 6, within(1e-15));
        // parent cpm 1000/5000·1000 = 200; rank = 1/6 · 9,000,000 + 5/6 · 200
        assertThat(r.rank()).isCloseTo((9_000_000.0 + 5 * 200.0) / 6, within(1e-6));
        // VPC over the by-day history: shape 2/3 + 5, rate 10/3 + 12 clicks
        assertThat(r.vpc().cvrShape()).isCloseTo(2.0 / 3 + 5, within(1e-9));
        assertThat(r.vpc().cvrRate()).isCloseTo(10.0 / 3 + 12, within(1e-9));
        // value: prior shape 6, rate 5 · 2,000,000; plus 5 conversions worth 100,000,000
        assertThat(r.vpc().valueShape()).isCloseTo(11, within(1e-9));
        assertThat(r.vpc().valueRate()).isCloseTo(110_000_000, within(1e-6));
        // mean = (17/3)/(46/3) conversions per click × 110,000,000/10 micros per conversion
        assertThat(r.vpc().mean()).isCloseTo(17.0 / 46 * 11_000_000, within(1e-6));
    }

    @Test
    void driftLooksAtThePeriodJustRunAndAnIdleKeyHadNone() {
        // the newest by-day entry (D-3) is far from the total, but the day just folded is D: the key
        // had no activity in it, so its drift is 0 (not the old entry's z)
        List<DayStat> days = List.of(new DayStat(D.minusDays(3), new Counters(1000, 100, 12, 100_000, 0)),
                new DayStat(D.minusDays(9), new Counters(100_000, 1000, 10, 1_000_000, 0)));
        KeyState s = state(new Counters(101_000, 1100, 22, 1_100_000, 0), null, days);
        ParentModel global = parent("*", 1, new Counters(1_000_000, 0, 0, 1_000_000, 0), 0);
        KeyResult idle = KeyResults.compute(s, List.of(global), SETTINGS, D, null);
        assertThat(idle.drift()).isEqualTo(0.0);
        assertThat(idle.driftFlag()).isFalse();
        // folding D-3 itself compares D-3: rate 22/1100 = 0.02, 100 clicks expect 2, z = (12 − 2)/sqrt(2)
        KeyResult folded = KeyResults.compute(s, List.of(global), SETTINGS, D.minusDays(3), null);
        assertThat(folded.drift()).isCloseTo(10 / Math.sqrt(2), within(1e-12));
    }

    @Test
    void onlyWhatNoWorldProducesIsFaulty() {
        ParentModel global = parent("*", 1, new Counters(1000, 0, 0, 1000, 0), 0);
        Counters revenueAlone = new Counters(0, 0, 0, 10, 0);
        KeyState s = state(revenueAlone, null, List.of(new DayStat(D, revenueAlone)));
        assertThatThrownBy(() -> KeyResults.compute(s, List.of(global), SETTINGS, D, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("total + open days: revenueMicros (10) > 0 without any impression, click or conversion");
        Counters valueAlone = new Counters(5, 1, 0, 0, 7);
        KeyState v = state(valueAlone, null, List.of(new DayStat(D, valueAlone)));
        assertThatThrownBy(() -> KeyResults.compute(v, List.of(global), SETTINGS, D, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("total + open days: valueMicros (7) > 0 without any conversion");
        // revenue with only lagged conversions (no impressions in the period) is CPA data
        Counters cpaOnly = new Counters(0, 0, 2, 300, 40);
        KeyResult r = KeyResults.compute(state(cpaOnly, null, List.of(new DayStat(D, cpaOnly))), List.of(global),
                SETTINGS, D, null);
        assertThat(r.cpm()).isNull();
        assertThat(r.weight()).isEqualTo(0.0);
        assertThat(r.rank()).isEqualTo(1000.0); // the parent's CPM
    }

    @Test
    void segmentSumsMergeInAnyOrderToTheSameBits() {
        SplittableRandom random = new SplittableRandom(7);
        List<SegmentSums> parts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            long clicks = random.nextLong(0, 200);
            parts.add(SegmentSums.of(new Counters(clicks * 10, clicks, clicks == 0 ? 0 : random.nextLong(0, 2 * clicks + 1),
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
        // (conversions may exceed clicks: a rate per click)
        for (SegmentSums p : parts) {
            running = running.add(p.counters().convs(), p.counters().clicks());
        }
        assertThat(forward.moments().keys()).isEqualTo(running.keys());
        assertThat(forward.moments().mean()).isCloseTo(running.mean(), within(1e-9));
        assertThat(forward.moments().sumSquares()).isCloseTo(running.sumSquares(), within(1e-7));
        assertThat(forward.moments().sumInverseClicks()).isCloseTo(running.sumInverseClicks(), within(1e-9));
    }

    /** A segment summed from real keys' sums: {convs, clicks, value micros} per key, 200 impressions each. */
    private static ParentModel segment(String key, long[]... keys) {
        SegmentSums sums = SegmentSums.EMPTY;
        for (long[] k : keys) {
            sums = sums.plus(SegmentSums.of(new Counters(200, k[1], k[0], 0, k[2])));
        }
        return ParentModel.of(key, sums, SETTINGS);
    }

    /**
     * The maximum-likelihood priors decide which segment lends the VPC prior. Four keys that all convert 1 of 10
     * clicks show no spread beyond their Poisson noise: the fit is degenerate, so their segment lends nothing and
     * the key takes the global prior, fitted on those four and four more (1, 1, 1, 1, 0, 5, 0, 3 conversions of
     * 10 clicks). scipy (known_answers.py method, nbinom by Nelder-Mead): shape 2.40162331, rate 16.0108221.
     * Value prior from six keys' mean values, four at $20 and two at $40 (mpmath): mean log 17.04229189170491,
     * s² = (ln 2)²·4/15 = 0.12812080371152038, shape ψ₁⁻¹(s²·7/6) = 7.177708511440891, rate exp(m + ψ(shape))
     * = 168424403.0794767.
     */
    @Test
    void aSegmentWithoutDetectableSpreadLendsNoVpcPriorAndTheFittedGlobalOneIsUsed() {
        long[][] alike = {{1, 10, 20_000_000}, {1, 10, 20_000_000}, {1, 10, 20_000_000}, {1, 10, 20_000_000}};
        ParentModel ad = segment("ad1|US", alike);
        assertThat(ad.priorGuard()).isEqualTo(adrank.udfs.vpc.EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(ad.usableForVpc(500)).isFalse();
        ParentModel global = segment("*", alike[0], alike[1], alike[2], alike[3], new long[] {0, 10, 0},
                new long[] {5, 10, 200_000_000}, new long[] {0, 10, 0}, new long[] {3, 10, 120_000_000});
        assertThat(global.priorGuard()).isEqualTo(adrank.udfs.vpc.EmpiricalBayesPrior.Guard.NONE);
        assertThat(global.cvrPrior().shape()).isCloseTo(2.40162331, within(1e-5));
        assertThat(global.cvrPrior().rate()).isCloseTo(16.0108221, within(1e-4));
        assertThat(global.valuePriorFitted()).isTrue();
        // (the log sums are fixed point, 2^-40: a few 1e-10 of the shape)
        assertThat(global.valuePrior().shape()).isCloseTo(7.177708511440891, within(1e-8));
        assertThat(global.valuePrior().rate()).isCloseTo(168424403.0794767, within(1.0));

        Counters own = new Counters(600, 6, 1, 0, 2_000_000);
        KeyState s = state(own, null, List.of(new DayStat(D, own)));
        KeyResult r = KeyResults.compute(s, Arrays.asList(ad, global), SETTINGS, D, D);
        assertThat(r.vpc().vpcParent()).isEqualTo("*");
        // no forgetting (λ = 1): the prior plus the key's 1 conversion of 6 clicks worth 2,000,000 micros
        assertThat(r.vpc().cvrShape()).isCloseTo(global.cvrPrior().shape() + 1, within(1e-12));
        assertThat(r.vpc().cvrRate()).isCloseTo(global.cvrPrior().rate() + 6, within(1e-12));
        assertThat(r.vpc().valueShape()).isCloseTo(global.valuePrior().shape() + 1, within(1e-12));
        assertThat(r.vpc().valueRate()).isCloseTo(global.valuePrior().rate() + 2_000_000, within(1e-6));

        // a segment whose keys do spread, but with only two keys with value: its value prior is not estimated,
        // so it lends no VPC prior either (the global one with the same few keys would still be the last resort)
        ParentModel fewValues = segment("ad2|US", new long[] {0, 10, 0}, new long[] {5, 10, 200_000_000},
                new long[] {0, 10, 0}, new long[] {3, 10, 120_000_000});
        assertThat(fewValues.priorGuard()).isNotEqualTo(adrank.udfs.vpc.EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL);
        assertThat(fewValues.valuePriorFitted()).isFalse();
        assertThat(fewValues.usableForVpc(500)).isFalse();
        assertThat(KeyResults.compute(s, Arrays.asList(fewValues, global), SETTINGS, D, D).vpc().vpcParent())
                .isEqualTo("*");
    }
}
