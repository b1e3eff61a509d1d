package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.stats.Counters;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known answers by hand on two key-days. */
class EvalScorecardTest {

    private static final LocalDate D = LocalDate.of(2026, 6, 3);

    /** Thin (50 history impressions); realised CPM 2,000,000 on 1000 impressions. */
    private static final Prediction THIN = new Prediction(D, "a|x", new Counters(50, 1, 0, 100_000, 0),
            new Counters(1000, 10, 1, 2_000_000, 0), new double[] {2_500_000, 1_000_000, 3_000_000},
            new double[] {0.01, 0.02, 0.01}, new double[] {0.1, 0.1, 0.1}, true, 100_000.0, 200_000.0);
    /** Thick (20,000); realised CPM 1,000,000 on 500 impressions. */
    private static final Prediction THICK = new Prediction(D, "b|x", new Counters(20_000, 100, 5, 20_000_000, 0),
            new Counters(500, 0, 0, 500_000, 0), new double[] {1_000_000, 1_000_000, 2_000_000},
            new double[] {0.01, 0.01, 0.01}, new double[] {0.1, 0.1, 0.1}, true, null, null);

    private static Scorecard card() {
        return new Scorecard(Buckets.DEFAULT, 0.9, 10);
    }

    @Test
    void errorsPerBucketAndPredictor() {
        Scorecard s = card().add(THIN, null).add(THICK, null);
        Map<String, Scorecard.Cell> cells = s.cells();
        assertThat(cells.keySet()).containsExactly("all", "thick", "thin");
        Scorecard.Cell all = cells.get("all");
        // errors: thin +500,000 / −1,000,000 / +1,000,000 (weight 1000); thick 0 / 0 / +1,000,000 (weight 500)
        assertThat(all.nextDay(Prediction.RANK).mae()).isCloseTo(500_000_000.0 / 1500, within(1e-6));
        assertThat(all.nextDay(Prediction.RAW).mae()).isCloseTo(1_000_000_000.0 / 1500, within(1e-6));
        assertThat(all.nextDay(Prediction.PARENT).mae()).isCloseTo(1_000_000, within(1e-6));
        // calibration of the rank: (2,500,000·1000 + 1,000,000·500) / 1000 / (2,000,000 + 500,000) = 1.2
        assertThat(all.nextDay(Prediction.RANK).calibration()).isCloseTo(1.2, within(1e-12));
        assertThat(cells.get("thin").nextDay(Prediction.RAW).mae()).isCloseTo(1_000_000, within(1e-6));
        assertThat(cells.get("thick").nextDay(Prediction.RAW).mae()).isZero();
        assertThat(all.keys()).isEqualTo(2);
        assertThat(all.truthKeys()).isZero();
        assertThat(s.keysPerDay()).containsExactly(Map.entry(D, 2L));
    }

    @Test
    void truthAddsBillingBucketsTheTrueErrorAndCoverage() {
        Scorecard s = card().add(THIN, new Truth(Buckets.Billing.CPC, 2_200_000, 150_000))
                .add(THICK, new Truth(Buckets.Billing.CPM, 1_000_000, 0));
        assertThat(s.cells().keySet()).containsExactly("all", "thick", "thick/cpm", "thin", "thin/cpc");
        Scorecard.Cell thin = s.cells().get("thin/cpc");
        // against the true CPM 2,200,000: rank +300,000, raw −1,200,000
        assertThat(thin.truth(Prediction.RANK).mae()).isCloseTo(300_000, within(1e-6));
        assertThat(thin.truth(Prediction.RAW).rmse()).isCloseTo(1_200_000, within(1e-6));
        // 2,500,000 predicted / 2,200,000 true revenue
        assertThat(thin.truth(Prediction.RANK).calibration()).isCloseTo(2.5 / 2.2, within(1e-12));
        // the thin key's interval [100,000, 200,000] covers 150,000; the thick one has none
        Scorecard.Cell all = s.cells().get("all");
        assertThat(all.vpcCoverage().keys()).isEqualTo(1);
        assertThat(all.vpcCoverage().share()).isEqualTo(1.0);
        assertThat(all.truthKeysWithoutVpc()).isEqualTo(1);
    }

    @Test
    void orderingInOneContext() {
        Scorecard s = card().addGroup(List.of(THIN, THICK));
        // rank and parent order the two as their realised CPMs (2,000,000 > 1,000,000): NDCG 1
        assertThat(s.ordering(Prediction.RANK).result().ndcg()).isEqualTo(1.0);
        assertThat(s.ordering(Prediction.PARENT).result().ndcg()).isEqualTo(1.0);
        // raw ties them (1,000,000 each): each position gets the mean gain 1,500,000
        // DCG = 1.5e6·(1 + 1/log2 3), IDCG = 2e6 + 1e6/log2 3 → 0.929859...
        assertThat(s.ordering(Prediction.RAW).result().ndcg()).isCloseTo(0.92985935, within(1e-7));
    }

    @Test
    void mergeEqualsAddingInOne() {
        Scorecard one = card().add(THIN, null).add(THICK, null);
        Scorecard merged = card().add(THIN, null).merge(card().add(THICK, null));
        assertThat(merged.metrics()).isEqualTo(one.metrics());
    }
}
