package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Limits;
import adrank.udfs.vpc.PriorGuard;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand: k = 300, a parent of 10,000 impressions at CPM 3,000,000, CTR 3 %, CVR 10 %. */
class EvalPredictionTest {

    private static final LocalDate D = LocalDate.of(2026, 6, 3);
    private static final RankSettings SETTINGS = new RankSettings(300, 500, new DriftPolicy(3, 0.5), 1.0, 0.9,
            PriorGuard.DEFAULT, 5);
    /** One key's sums: no CVR prior (fewer than two keys with clicks), so no VPC. */
    private static final ParentModel PARENT = ParentModel.of("ad_id:a", SegmentSums.of(
            new Counters(10_000, 300, 30, 30_000_000, 15_000_000)), SETTINGS);
    private static final Counters NEXT = new Counters(100, 4, 1, 250_000, 9);

    private static KeyState state(Counters day) {
        return AsOfDay.history("a|x", new ByDay(List.of(new DayStat(D, day))), D, new Limits(10, 1_000_000));
    }

    @Test
    void keyWithImpressions() {
        Prediction p = Prediction.of(state(new Counters(200, 10, 2, 400_000, 1_000_000)), Arrays.asList(PARENT, null),
                SETTINGS, D, NEXT);
        // raw CPM = 400,000 / 200 · 1000 = 2,000,000; weight = 200 / (200 + 300) = 0.4
        // rank = (400,000 + 300 · 3,000,000 / 1000) / (200 + 300) · 1000 = 1,300,000 / 500 · 1000 = 2,600,000
        assertThat(p.cpm()[Prediction.RANK]).isCloseTo(2_600_000, within(1e-6));
        assertThat(p.cpm()[Prediction.RAW]).isCloseTo(2_000_000, within(1e-6));
        assertThat(p.cpm()[Prediction.PARENT]).isCloseTo(3_000_000, within(1e-6));
        assertThat(p.rawCpmDefined()).isTrue();
        // CTR: raw 10/200 = 0.05, parent 300/10,000 = 0.03, the rank's 0.4·0.05 + 0.6·0.03 = 0.038
        assertThat(p.ctr()[Prediction.RANK]).isCloseTo(0.038, within(1e-12));
        assertThat(p.ctr()[Prediction.RAW]).isCloseTo(0.05, within(1e-12));
        assertThat(p.ctr()[Prediction.PARENT]).isCloseTo(0.03, within(1e-12));
        // CVR: raw 2/10 = 0.2, parent 30/300 = 0.1; no VPC (the parent has no CVR prior): the stand-in 0.1
        assertThat(p.cvr()[Prediction.RANK]).isCloseTo(0.1, within(1e-12));
        assertThat(p.cvr()[Prediction.RAW]).isCloseTo(0.2, within(1e-12));
        assertThat(p.cvr()[Prediction.PARENT]).isCloseTo(0.1, within(1e-12));
        assertThat(p.vpcLo()).isNull();
        assertThat(p.realised()).isEqualTo(NEXT);
        assertThat(p.history().imps()).isEqualTo(200);
    }

    @Test
    void keyWithoutImpressionsTakesTheParentStandInForEveryPredictor() {
        // a lagged click of a CPC ad: no impression as of D
        Prediction p = Prediction.of(state(new Counters(0, 1, 0, 50_000, 0)), Arrays.asList(PARENT, null), SETTINGS,
                D, Counters.ZERO);
        assertThat(p.rawCpmDefined()).isFalse();
        // weight 0: the rank is the parent CPM 3,000,000 (Shrinkage.blend; revenue without impressions has no
        // CPM to blend); raw: the stand-in = parent 3,000,000
        assertThat(p.cpm()[Prediction.RANK]).isCloseTo(3_000_000, within(1e-6));
        assertThat(p.cpm()[Prediction.RAW]).isCloseTo(3_000_000, within(1e-6));
        assertThat(p.cpm()[Prediction.PARENT]).isCloseTo(3_000_000, within(1e-6));
        // CTR undefined for the key: the parent's 0.03 everywhere (the rank's weight is 0)
        assertThat(p.ctr()).containsExactly(new double[] {0.03, 0.03, 0.03}, within(1e-12));
        // CVR: 0 conversions / 1 click = 0 is defined
        assertThat(p.cvr()[Prediction.RAW]).isZero();
    }

    @Test
    void withoutAnyParentTheStandInIsZero() {
        Prediction p = Prediction.of(state(new Counters(0, 1, 0, 50_000, 0)), Arrays.asList(null, null), SETTINGS,
                D, Counters.ZERO);
        // the rank's parent CPM is 0 without a parent, and a key without impressions ranks at it: 0
        assertThat(p.cpm()[Prediction.RANK]).isZero();
        assertThat(p.cpm()[Prediction.RAW]).isZero();
        assertThat(p.cpm()[Prediction.PARENT]).isZero();
        assertThat(p.ctr()).containsExactly(0.0, 0.0, 0.0);
    }

    @Test
    void aServedRecordPredictsItsCpmsAndNoRates() {
        Counters history = new Counters(40, 1, 0, 80_000, 0);
        Counters next = new Counters(100, 2, 1, 300_000, 0);
        Prediction p = Prediction.served(D, "k", history, next, 2_500_000, 2_000_000.0, 3_000_000, 10.0, 20.0);
        assertThat(p.cpm()).containsExactly(2_500_000, 2_000_000, 3_000_000);
        assertThat(p.rawCpmDefined()).isTrue();
        assertThat(p.ctr()).isNull();
        assertThat(p.cvr()).isNull();
        assertThat(p.history()).isEqualTo(history);
        assertThat(p.realised()).isEqualTo(next);
        // no impressions in the snapshot: the raw CPM's stand-in is the parent CPM
        Prediction thin = Prediction.served(D, "k", Counters.ZERO, next, 3_000_000, null, 3_000_000, null, null);
        assertThat(thin.cpm()).containsExactly(3_000_000, 3_000_000, 3_000_000);
        assertThat(thin.rawCpmDefined()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prediction.served(D, "k", history, next, -1, null,
                0, null, null)).isInstanceOf(adrank.udfs.rank.InvalidInputException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prediction.served(D, "k", history, next, 1, null,
                0, 1.0, null)).isInstanceOf(adrank.udfs.rank.InvalidInputException.class);
        // scored: the CPM errors, not the rates (rank 2.5 vs realised 3.0 on 100 impressions)
        Scorecard s = new Scorecard(Buckets.DEFAULT, 0.9, 10).add(p, null);
        assertThat(s.cells().get("all").nextDay(Prediction.RANK).mae()).isCloseTo(500_000, within(1e-6));
        assertThat(s.cells().get("all").ctr(Prediction.RANK).keys()).isZero();
        assertThat(s.ctrReliability(Prediction.RANK).keys()).isZero();
        assertThat(s.cpmReliability(Prediction.RANK).keys()).isEqualTo(1);
    }
}
