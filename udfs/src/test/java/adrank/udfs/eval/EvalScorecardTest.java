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
        // the true CPM as a next-day predictor: thin 2,200,000 vs realised 2,000,000 on 1,000 impressions, thick
        // 1,000,000 vs 1,000,000 on 500 -> MAE 200,000·1000/1500, RMSE √(200,000²·1000/1500), calibration
        // (2,200,000 + 500,000) / (2,000,000 + 500,000) = 1.08; without a truth it scores nothing
        assertThat(all.trueCpmNextDay().mae()).isCloseTo(200_000.0 * 1000 / 1500, within(1e-6));
        assertThat(all.trueCpmNextDay().rmse()).isCloseTo(Math.sqrt(200_000.0 * 200_000 * 1000 / 1500), within(1e-6));
        assertThat(all.trueCpmNextDay().calibration()).isCloseTo(1.08, within(1e-12));
        assertThat(card().add(THIN, null).cells().get("all").trueCpmNextDay().impressions()).isZero();
        assertThat(s.metrics()).filteredOn(m -> m.predictor().equals(Scorecard.TRUE_CPM) && m.bucket().equals("all")
                && m.metric().equals("calibration")).singleElement().extracting(m -> m.value().doubleValue())
                .satisfies(v -> assertThat(v).isCloseTo(1.08, within(1e-12)));
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

    /** A third key-day: segment y, medium volume (500), 2000 impressions on D+1. */
    private static final Prediction MEDIUM = new Prediction(D, "c|y", new Counters(500, 5, 0, 400_000, 0),
            new Counters(2000, 20, 2, 1_000_000, 0), new double[] {600_000, 800_000, 500_000},
            new double[] {0.01, 0.01, 0.01}, new double[] {0.1, 0.1, 0.1}, true, null, null);

    @Test
    void segmentsLargestFirstTheRestAsOther() {
        Scorecard s = new Scorecard(Buckets.DEFAULT, 0.9, 10, "k", 1)
                .add(THIN, null, "k:x").add(MEDIUM, null, "k:y").add(THICK, null, "k:z");
        // D+1 impressions: y 2000, x 1000, z 500: y alone, x and z merged
        Map<String, Scorecard.Cell> segments = s.segments();
        assertThat(segments.keySet()).containsExactly("k:y", "k (other)");
        assertThat(segments.get("k:y").keys()).isEqualTo(1);
        Scorecard.Cell other = segments.get("k (other)");
        assertThat(other.keys()).isEqualTo(2);
        assertThat(other.nextDay(Prediction.RANK).impressions()).isEqualTo(1500);
        // the other's errors are THIN's and THICK's together, as in the bucket all of those two
        assertThat(other.nextDay(Prediction.RANK).mae()).isCloseTo(500_000_000.0 / 1500, within(1e-6));
        assertThat(s.segmentCount()).isEqualTo(3);
        // the merge leaves the segments themselves as they were
        assertThat(s.segments().get("k (other)").keys()).isEqualTo(2);
        assertThat(new Scorecard(Buckets.DEFAULT, 0.9, 10, "k", 5).add(THIN, null, "k:x").segments().keySet())
                .containsExactly("k:x");
        assertThat(s.metrics()).anySatisfy(m -> {
            assertThat(m.bucket()).isEqualTo("k (other)");
            assertThat(m.metric()).isEqualTo("keys");
            assertThat(m.value()).isEqualTo(2L);
        });
        Scorecard merged = new Scorecard(Buckets.DEFAULT, 0.9, 10, "k", 1).add(THIN, null, "k:x")
                .merge(new Scorecard(Buckets.DEFAULT, 0.9, 10, "k", 1).add(MEDIUM, null, "k:y").add(THICK, null, "k:z"));
        assertThat(merged.metrics()).isEqualTo(s.metrics());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> card().add(THIN, null, "k:x"))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.merge(card()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reliabilityAndRatiosOfEveryKeyDay() {
        Scorecard s = card().add(THIN, new Truth(Buckets.Billing.CPC, 2_200_000, 150_000)).add(THICK, null);
        Reliability.Group rank = s.cpmReliability(Prediction.RANK).groups(1).get(0);
        // predicted 2,500,000·1000/1000 + 1,000,000·500/1000 = 3,000,000; realised 2,000,000 + 500,000
        assertThat(rank.predictedAmount()).isCloseTo(3_000_000, within(1e-6));
        assertThat(rank.realisedAmount()).isEqualTo(2_500_000);
        assertThat(rank.weight()).isEqualTo(1500);
        // thirds of 1500 impressions: the thick key's 500 at $1 reach the first third and close a group, the
        // thin key's 1000 at $2.50 pass the second and the third at once (a bin is never split): 2 groups;
        // halves would give one group (500 < 750, then 1500 reaches the end)
        assertThat(s.cpmReliability(Prediction.RANK).groups(2)).hasSize(1);
        List<Reliability.Group> halves = s.cpmReliability(Prediction.RANK).groups(3);
        assertThat(halves).extracting(Reliability.Group::meanPrediction).containsExactly(1_000_000.0, 2_500_000.0);
        assertThat(halves).extracting(Reliability.Group::realisedRate).containsExactly(1_000_000.0, 2_000_000.0);
        // truth: only the thin key, 2,200,000 true CPM on 1000 impressions = 2,200,000 true revenue
        Reliability.Group truth = s.cpmTruthReliability(Prediction.RANK).groups(1).get(0);
        assertThat(truth.realisedAmount()).isEqualTo(2_200_000);
        assertThat(truth.keys()).isEqualTo(1);
        // CTR: 0.01·1000 + 0.01·500 = 15 predicted clicks, 10 realised; CVR: 0.1·10 predicted, 1 realised
        Reliability.Group ctr = s.ctrReliability(Prediction.RANK).groups(1).get(0);
        assertThat(ctr.predictedAmount()).isCloseTo(15, within(1e-12));
        assertThat(ctr.realisedAmount()).isEqualTo(10);
        Reliability.Group cvr = s.cvrReliability(Prediction.RANK).groups(1).get(0);
        assertThat(cvr.predictedAmount()).isCloseTo(1, within(1e-12));
        assertThat(cvr.realisedAmount()).isEqualTo(1);
        // rank / raw: thin 2.5 in [10^0.2, 10^0.4), thick 1 in [1, 10^0.2)
        Map<String, RatioHistogram> ratios = s.rankRawRatios();
        assertThat(ratios.keySet()).containsExactly("thick", "thin");
        assertThat(ratios.get("thin").histogram().get(17).keys()).isEqualTo(1);
        assertThat(ratios.get("thick").histogram().get(16).keys()).isEqualTo(1);
    }
}
