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

/** Known answers from known_answers.py {@code evaluation()} (exact fractions) and by hand. */
class EvalCpmErrorsTest {

    /** (predicted CPM, realised impressions, realised revenue), all micros. */
    static final long[][] KEYS = {
        {2_000_000, 1000, 2_500_000}, // realised CPM 2,500,000: error −500,000, weight 1000
        {1_000_000, 500, 250_000},    // realised CPM   500,000: error +500,000, weight 500
        {3_000_000, 0, 40_000},       // lagged CPA revenue, no impression: no realised CPM
        {4_000_000, 2500, 7_500_000}, // realised CPM 3,000,000: error +1,000,000, weight 2500
    };

    static CpmErrors of(long[]... keys) {
        CpmErrors e = CpmErrors.EMPTY;
        for (long[] k : keys) {
            e = e.add((double) k[0], k[1], k[2]);
        }
        return e;
    }

    @Test
    void impressionWeightedErrorsAndCalibration() {
        CpmErrors.Result r = of(KEYS).result();
        // MAE = (1000·500,000 + 500·500,000 + 2500·1,000,000) / 4000 = 3.25e9 / 4000 = 812,500
        assertThat(r.mae()).isCloseTo(812_500.0, within(1e-6));
        // MSE = (1000·2.5e11 + 500·2.5e11 + 2500·1e12) / 4000 = 718,750,000,000
        // RMSE = √MSE = 847,791.24789065851738 (mpmath)
        assertThat(r.rmse()).isCloseTo(847_791.24789065851738, within(1e-6));
        // predicted revenue 2e6·1000/1000 + 1e6·500/1000 + 3e6·0 + 4e6·2500/1000 = 12,500,000;
        // realised 2,500,000 + 250,000 + 40,000 + 7,500,000 = 10,290,000 (the key without
        // impressions included): 1250/1029 = 1.2147716229348882
        assertThat(r.calibration()).isCloseTo(1.2147716229348882, within(1e-15));
        assertThat(r.predictedRevenue()).isEqualTo(12_500_000.0);
        assertThat(r.revenueMicros()).isEqualTo(10_290_000L);
        assertThat(r.keys()).isEqualTo(4);
        assertThat(r.impressions()).isEqualTo(4000);
        assertThat(r.keysWithoutImpressions()).isEqualTo(1);
        assertThat(r.revenueWithoutImpressions()).isEqualTo(40_000);
    }

    @Test
    void aPerfectPredictionHasNoErrorAndCalibrationOne() {
        // 7 micros over 3 impressions: CPM 7/3·1000, the same double as Rates.cpm
        CpmErrors.Result r = CpmErrors.EMPTY.add(7.0 / 3 * 1000.0, 3L, 7L)
            .add(2_500_000.0, 1000L, 2_500_000L).result();
        assertThat(r.mae()).isEqualTo(0.0);
        assertThat(r.rmse()).isEqualTo(0.0);
        assertThat(r.calibration()).isCloseTo(1.0, within(1e-15));
    }

    @Test
    void noKeysAndNoImpressionsAreUndefinedNotNaN() {
        CpmErrors.Result empty = CpmErrors.EMPTY.result();
        assertThat(empty.mae()).isNull();
        assertThat(empty.rmse()).isNull();
        assertThat(empty.calibration()).isNull();
        assertThat(empty.keys()).isZero();

        // only lagged revenue: no CPM to compare, realised revenue 40,000 against 0 predicted
        CpmErrors.Result lagged = of(KEYS[2]).result();
        assertThat(lagged.mae()).isNull();
        assertThat(lagged.rmse()).isNull();
        assertThat(lagged.calibration()).isEqualTo(0.0);

        // impressions without revenue: errors defined, calibration not (nothing realised)
        CpmErrors.Result noRevenue = CpmErrors.EMPTY.add(1000.0, 10L, 0L).result();
        assertThat(noRevenue.mae()).isEqualTo(1000.0);
        assertThat(noRevenue.calibration()).isNull();
    }

    @Test
    void mergeInAnyOrderEqualsAddingInSequence() {
        Random rnd = new Random(7);
        List<long[]> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            long imps = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100_000);
            keys.add(new long[] {rnd.nextInt(5_000_000), imps, rnd.nextInt(1 + (int) imps * 5000)});
        }
        CpmErrors.Result sequential = of(keys.toArray(long[][]::new)).result();
        for (int trial = 0; trial < 5; trial++) {
            Collections.shuffle(keys, rnd);
            List<CpmErrors> parts = new ArrayList<>(); // consecutive slices of 1..300 keys
            int from = 0;
            while (from < keys.size()) {
                int to = Math.min(keys.size(), from + 1 + rnd.nextInt(300));
                parts.add(of(keys.subList(from, to).toArray(long[][]::new)));
                from = to;
            }
            parts.add(CpmErrors.EMPTY);
            Collections.shuffle(parts, rnd);
            CpmErrors merged = CpmErrors.EMPTY;
            for (CpmErrors p : parts) {
                merged = rnd.nextBoolean() ? merged.merge(p) : p.merge(merged);
            }
            CpmErrors.Result r = merged.result();
            assertThat(r.keys()).isEqualTo(sequential.keys());
            assertThat(r.impressions()).isEqualTo(sequential.impressions());
            assertThat(r.revenueMicros()).isEqualTo(sequential.revenueMicros());
            assertThat(r.keysWithoutImpressions()).isEqualTo(sequential.keysWithoutImpressions());
            assertThat(r.revenueWithoutImpressions())
                .isEqualTo(sequential.revenueWithoutImpressions());
            assertThat(r.mae()).isCloseTo(sequential.mae(), withinPercentage(1e-10));
            assertThat(r.rmse()).isCloseTo(sequential.rmse(), withinPercentage(1e-10));
            assertThat(r.calibration()).isCloseTo(sequential.calibration(), withinPercentage(1e-10));
        }
    }

    @Test
    void faultyValuesAreNamed() {
        assertThatThrownBy(() -> CpmErrors.EMPTY.add(null, 10L, 5L))
            .isInstanceOf(InvalidInputException.class).hasMessage("predictedCpm is null");
        assertThatThrownBy(() -> CpmErrors.EMPTY.add(Double.NaN, 10L, 5L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("predictedCpm (NaN) is not a finite number >= 0");
        assertThatThrownBy(() -> CpmErrors.EMPTY.add(-1.0, 10L, 5L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("predictedCpm (-1.0) is not a finite number >= 0");
        assertThatThrownBy(() -> CpmErrors.EMPTY.add(1.0, -10L, 5L))
            .isInstanceOf(InvalidInputException.class).hasMessage("impressions (-10) is negative");
        assertThatThrownBy(() -> CpmErrors.EMPTY.add(1.0, 10L, null))
            .isInstanceOf(InvalidInputException.class).hasMessage("revenueMicros is null");
        assertThatThrownBy(() -> CpmErrors.EMPTY.merge(null))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("cannot merge with null");
        assertThatThrownBy(() -> new CpmErrors(1, 0, 0, 0, 0, 0, 2, 0))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("keysWithoutImpressions (2) > keys (1)");
        CpmErrors huge = CpmErrors.EMPTY.add(0.0, Long.MAX_VALUE, 0L);
        assertThatThrownBy(() -> huge.add(0.0, 1L, 0L)).isInstanceOf(ArithmeticException.class);
    }
}
