package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Known answers from known_answers.py {@code evaluation()} (mpmath, 50 digits): per key
 * {@code ℓ = n·p − y·ln max(p, 1e-6)}, background {@code p̄ = Σy/Σn} over the keys with trials,
 * {@code NE = Σℓ / (Y·(1 − ln p̄))}, calibration {@code Σ n·p / Σ y} with the events of keys
 * without trials.
 */
class EvalRateLogLossTest {

    static final double TIGHT = 1e-14;

    /** (predicted rate, events, trials). */
    static RateLogLoss of(Object[]... keys) {
        RateLogLoss l = RateLogLoss.empty();
        for (Object[] k : keys) {
            l = l.add((Double) k[0], ((Integer) k[1]).longValue(), ((Integer) k[2]).longValue());
        }
        return l;
    }

    @Test
    void ctrWithLaggedClicksAndAZeroPrediction() {
        RateLogLoss.Result r = of(
            new Object[] {0.02, 3, 100},  // ℓ = 2 − 3 ln 0.02
            new Object[] {0.01, 0, 200},  // ℓ = 2
            new Object[] {0.5, 3, 2},     // 3 clicks on 2 impressions (lagged): ℓ = 1 − 3 ln 0.5
            new Object[] {0.0, 1, 50},    // raw CTR 0, then a click: ℓ = 0 − ln 1e-6 (floored)
            new Object[] {0.03, 2, 0}     // clicks without impressions: calibration only
        ).result();
        // Σℓ = 5 − 3 ln 0.02 − 3 ln 0.5 − ln 1e-6 = 32.631021115928548…, / 352 trials:
        assertThat(r.logLoss()).isCloseTo(0.092701764533887921046, within(TIGHT));
        // p̄ = 7/352; background Σℓ(p̄) = 7·(1 − ln(7/352)), / 352:
        assertThat(r.backgroundRate()).isCloseTo(0.019886363636363636364, within(TIGHT));
        assertThat(r.backgroundLogLoss()).isCloseTo(0.097795588596021268472, within(TIGHT));
        assertThat(r.normalizedEntropy()).isCloseTo(0.94791355995437420592, within(TIGHT));
        // predicted clicks 2 + 2 + 1 + 0 + 0 = 5 over realised 3 + 0 + 3 + 1 + 2 = 9: 5/9
        assertThat(r.calibration()).isCloseTo(5.0 / 9, within(TIGHT));
        assertThat(r.keys()).isEqualTo(5);
        assertThat(r.trials()).isEqualTo(352);
        assertThat(r.events()).isEqualTo(7);
        assertThat(r.flooredKeys()).isEqualTo(1);
        assertThat(r.keysWithoutTrials()).isEqualTo(1);
        assertThat(r.eventsWithoutTrials()).isEqualTo(2);
    }

    @Test
    void cvrIsDefinedForMoreConversionsThanClicks() {
        RateLogLoss.Result r = of(
            new Object[] {0.05, 4, 2},   // 4 conversions on 2 clicks (lagged)
            new Object[] {0.02, 1, 60},
            new Object[] {0.1, 0, 10},
            new Object[] {0.04, 3, 0}    // view-through conversions, no click
        ).result();
        assertThat(r.logLoss()).isCloseTo(0.25270766805061263934, within(TIGHT));
        assertThat(r.backgroundRate()).isCloseTo(0.069444444444444444444, within(TIGHT)); // 5/72
        assertThat(r.backgroundLogLoss()).isCloseTo(0.25466862545708020392, within(TIGHT));
        assertThat(r.normalizedEntropy()).isCloseTo(0.99229996469746506514, within(TIGHT));
        // predicted 0.1 + 1.2 + 1 + 0 = 2.3 over 4 + 1 + 0 + 3 = 8: 23/80
        assertThat(r.calibration()).isCloseTo(0.2875, within(TIGHT));
        assertThat(r.flooredKeys()).isZero();
    }

    @Test
    void atAdSizedRatesTheNeIsHeEtAlsBernoulliNe() {
        RateLogLoss.Result r = of(
            new Object[] {0.012, 14, 1000}, new Object[] {0.008, 5, 800},
            new Object[] {0.02, 9, 500}, new Object[] {0.015, 30, 1500}).result();
        assertThat(r.logLoss()).isCloseTo(0.078463370758021195819, within(TIGHT));
        assertThat(r.backgroundLogLoss()).isCloseTo(0.079098466694670355908, within(TIGHT));
        assertThat(r.normalizedEntropy()).isCloseTo(0.99197081861143140506, within(TIGHT));
        assertThat(r.calibration()).isCloseTo(509.0 / 580, within(TIGHT));
        // the Bernoulli NE (−y ln p − (n−y) ln(1−p) over the entropy of p̄, He et al. 2014) of
        // the same keys is 0.99186102322076219133 (known_answers.py): 0.011 % apart
        assertThat(r.normalizedEntropy()).isCloseTo(0.99186102322076219133, withinPercentage(0.02));
    }

    @Test
    void theBackgroundRateItselfHasNeOneAndCalibrationOne() {
        // every key predicted at p̄ = 20/4000 = 0.005
        RateLogLoss.Result r = of(new Object[] {0.005, 0, 1000}, new Object[] {0.005, 12, 1000},
            new Object[] {0.005, 8, 2000}).result();
        assertThat(r.normalizedEntropy()).isCloseTo(1.0, within(TIGHT));
        assertThat(r.calibration()).isCloseTo(1.0, within(TIGHT));
        // a predictor that knows each key's rate beats it
        RateLogLoss.Result better = of(new Object[] {0.0005, 0, 1000},
            new Object[] {0.012, 12, 1000}, new Object[] {0.004, 8, 2000}).result();
        assertThat(better.normalizedEntropy()).isLessThan(1.0);
    }

    @Test
    void undefinedResultsAreNullNotNaN() {
        RateLogLoss.Result empty = RateLogLoss.empty().result();
        assertThat(empty.logLoss()).isNull();
        assertThat(empty.backgroundRate()).isNull();
        assertThat(empty.backgroundLogLoss()).isNull();
        assertThat(empty.normalizedEntropy()).isNull();
        assertThat(empty.calibration()).isNull();

        // trials but no event anywhere: the constant 0 is perfect, NE undefined
        RateLogLoss.Result noEvents = of(new Object[] {0.01, 0, 100}).result();
        assertThat(noEvents.logLoss()).isCloseTo(0.01, within(TIGHT)); // 100·0.01 / 100
        assertThat(noEvents.backgroundLogLoss()).isEqualTo(0.0);
        assertThat(noEvents.normalizedEntropy()).isNull();
        assertThat(noEvents.calibration()).isNull();

        // only events without trials: nothing scored, calibration 0 (none predicted)
        RateLogLoss.Result orphans = of(new Object[] {0.05, 3, 0}).result();
        assertThat(orphans.logLoss()).isNull();
        assertThat(orphans.normalizedEntropy()).isNull();
        assertThat(orphans.calibration()).isEqualTo(0.0);

        // p̄ = 3 ≥ e: the background loss 3·(1 − ln 3)/1 < 0 cannot normalize
        RateLogLoss.Result rateAboveE = of(new Object[] {3.0, 3, 1}).result();
        assertThat(rateAboveE.backgroundLogLoss()).isNegative();
        assertThat(rateAboveE.normalizedEntropy()).isNull();
        assertThat(rateAboveE.logLoss()).isCloseTo(3 - 3 * Math.log(3), within(TIGHT));
    }

    @Test
    void theFloorIsAParameter() {
        // ℓ = 0 − 2 ln 1e-3 over 10 trials with minRate 1e-3
        RateLogLoss.Result r = RateLogLoss.empty(1e-3).add(0.0, 2L, 10L).result();
        assertThat(r.logLoss()).isCloseTo(-2 * Math.log(1e-3) / 10, within(TIGHT));
        assertThat(r.flooredKeys()).isEqualTo(1);
        assertThatThrownBy(() -> RateLogLoss.empty(0))
            .isInstanceOf(IllegalArgumentException.class)
            .isNotInstanceOf(InvalidInputException.class)
            .hasMessage("minRate (0.0) is not in (0.0, 1.0)");
        assertThatThrownBy(() -> RateLogLoss.empty(Double.NaN))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RateLogLoss.empty(1e-3).merge(RateLogLoss.empty()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot combine values of different minRate (0.001 and 1.0E-6)");
    }

    @Test
    void mergeInAnyOrderEqualsAddingInSequence() {
        Random rnd = new Random(11);
        List<Object[]> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(2000);
            int y = rnd.nextInt(3) == 0 ? n / 10 + rnd.nextInt(5) : rnd.nextInt(1 + n / 20);
            double p = rnd.nextInt(10) == 0 ? 0.0 : rnd.nextDouble() * 0.1;
            keys.add(new Object[] {p, y, n});
        }
        RateLogLoss.Result sequential = of(keys.toArray(Object[][]::new)).result();
        for (int trial = 0; trial < 5; trial++) {
            Collections.shuffle(keys, rnd);
            List<RateLogLoss> parts = new ArrayList<>();
            int from = 0;
            while (from < keys.size()) {
                int to = Math.min(keys.size(), from + 1 + rnd.nextInt(300));
                parts.add(of(keys.subList(from, to).toArray(Object[][]::new)));
                from = to;
            }
            parts.add(RateLogLoss.empty());
            Collections.shuffle(parts, rnd);
            RateLogLoss merged = RateLogLoss.empty();
            for (RateLogLoss p : parts) {
                merged = rnd.nextBoolean() ? merged.merge(p) : p.merge(merged);
            }
            RateLogLoss.Result r = merged.result();
            assertThat(r.keys()).isEqualTo(sequential.keys());
            assertThat(r.trials()).isEqualTo(sequential.trials());
            assertThat(r.events()).isEqualTo(sequential.events());
            assertThat(r.flooredKeys()).isEqualTo(sequential.flooredKeys());
            assertThat(r.keysWithoutTrials()).isEqualTo(sequential.keysWithoutTrials());
            assertThat(r.eventsWithoutTrials()).isEqualTo(sequential.eventsWithoutTrials());
            assertThat(r.logLoss()).isCloseTo(sequential.logLoss(), withinPercentage(1e-10));
            assertThat(r.normalizedEntropy())
                .isCloseTo(sequential.normalizedEntropy(), withinPercentage(1e-10));
            assertThat(r.calibration()).isCloseTo(sequential.calibration(), withinPercentage(1e-10));
        }
    }

    @Test
    void faultyValuesAreNamed() {
        RateLogLoss e = RateLogLoss.empty();
        assertThatThrownBy(() -> e.add(null, 1L, 10L))
            .isInstanceOf(InvalidInputException.class).hasMessage("predictedRate is null");
        assertThatThrownBy(() -> e.add(Double.POSITIVE_INFINITY, 1L, 10L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("predictedRate (Infinity) is not a finite number >= 0");
        assertThatThrownBy(() -> e.add(0.1, -1L, 10L))
            .isInstanceOf(InvalidInputException.class).hasMessage("events (-1) is negative");
        assertThatThrownBy(() -> e.add(0.1, 1L, null))
            .isInstanceOf(InvalidInputException.class).hasMessage("trials is null");
        assertThatThrownBy(() -> e.merge(null))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot merge with null");
    }
}
