package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known answers by hand: log bins, and reliability groups of equal weight. */
class EvalReliabilityTest {

    /** One bin a decade from 1 to 1000: [0,1) [1,10) [10,100) [100,1000) [1000,∞). */
    private static final LogBins DECADES = new LogBins(1, 3, 1);

    /** (prediction, weight, realised). */
    private static final double[][] KEYS = {
        {0, 5, 0},          // bin 0
        {2, 10, 30},        // bin 1
        {5, 10, 40},        // bin 1
        {10, 20, 150},      // bin 2: on its lower edge
        {50, 0, 7},         // bin 2: no weight, lagged amount
        {200, 40, 9000},    // bin 3
        {5000, 15, 60000},  // bin 4
    };

    private static Reliability of(List<double[]> keys) {
        Reliability r = new Reliability(DECADES, 1);
        for (double[] k : keys) {
            r.add(k[0], (long) k[1], (long) k[2]);
        }
        return r;
    }

    @Test
    void valuesLandInTheBinWhoseEdgesEncloseThem() {
        assertThat(DECADES.count()).isEqualTo(5);
        assertThat(DECADES.index(0)).isZero();
        assertThat(DECADES.index(0.999)).isZero();
        assertThat(DECADES.index(1)).isEqualTo(1);
        assertThat(DECADES.index(9.999)).isEqualTo(1);
        assertThat(DECADES.index(10)).isEqualTo(2);
        assertThat(DECADES.index(999.9)).isEqualTo(3);
        assertThat(DECADES.index(1000)).isEqualTo(4);
        assertThat(DECADES.index(1e300)).isEqualTo(4);
        assertThat(DECADES.lower(0)).isZero();
        assertThat(DECADES.upper(0)).isEqualTo(1.0);
        assertThat(DECADES.lower(3)).isEqualTo(100.0);
        assertThat(DECADES.upper(4)).isInfinite();
        // every edge of the fine CPM bins, and the double just below it, fall on the right side
        LogBins fine = Reliability.CPM_BINS;
        for (int k = 0; k <= 70; k++) {
            double edge = fine.edge(k);
            assertThat(fine.index(edge)).as("edge %d", k).isEqualTo(k + 1);
            assertThat(fine.index(Math.nextDown(edge))).as("below edge %d", k).isEqualTo(k);
            assertThat(fine.lower(k + 1)).isEqualTo(edge);
        }
        // $2 CPM: 10^(3 + 3.30103/...) -> [1000·10^3.3, 1000·10^3.4) = [$1.995, $2.512)
        assertThat(fine.index(2_000_000)).isEqualTo(34);
        assertThat(fine.lower(34)).isCloseTo(1_995_262.3149688789, within(1e-6));
        assertThat(fine.upper(34)).isCloseTo(2_511_886.4315095823, within(1e-6));
        assertThatThrownBy(() -> DECADES.index(-1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> DECADES.index(Double.NaN)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new LogBins(0, 3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupsOfEqualWeightNeverSplitABin() {
        List<Reliability.Group> groups = of(List.of(KEYS)).groups(4);
        // weight 100, thresholds 25/50/75: bins 0-1 reach 25 (close); bin 2 reaches 45; bin 3 reaches 85,
        // past 50 and 75 at once (one group); bin 4 is the rest
        assertThat(groups).hasSize(3);
        Reliability.Group a = groups.get(0);
        assertThat(a.lower()).isZero();
        assertThat(a.upper()).isEqualTo(10.0);
        assertThat(a.keys()).isEqualTo(3);
        assertThat(a.weight()).isEqualTo(25);
        assertThat(a.predictedAmount()).isEqualTo(70.0); // 0·5 + 2·10 + 5·10
        assertThat(a.realisedAmount()).isEqualTo(70);
        assertThat(a.meanPrediction()).isEqualTo(2.8);
        assertThat(a.realisedRate()).isEqualTo(2.8);
        Reliability.Group b = groups.get(1);
        assertThat(b.lower()).isEqualTo(10.0);
        assertThat(b.upper()).isEqualTo(1000.0);
        assertThat(b.keys()).isEqualTo(3);
        assertThat(b.weight()).isEqualTo(60);
        assertThat(b.predictedAmount()).isEqualTo(8200.0); // 10·20 + 50·0 + 200·40
        assertThat(b.realisedAmount()).isEqualTo(9157);    // the weightless key's 7 included
        assertThat(b.meanPrediction()).isCloseTo(8200.0 / 60, within(1e-12));
        assertThat(b.realisedRate()).isCloseTo(9157.0 / 60, within(1e-12));
        Reliability.Group c = groups.get(2);
        assertThat(c.lower()).isEqualTo(1000.0);
        assertThat(c.upper()).isInfinite();
        assertThat(c.weight()).isEqualTo(15);
        assertThat(c.meanPrediction()).isEqualTo(5000.0);
        assertThat(c.realisedRate()).isEqualTo(4000.0);
        // one group: everything; as many groups as bins: one per bin with keys
        assertThat(of(List.of(KEYS)).groups(1)).singleElement()
                .satisfies(g -> assertThat(g.realisedAmount()).isEqualTo(69227));
        assertThat(of(List.of(KEYS)).groups(100)).extracting(Reliability.Group::keys).containsExactly(1L, 2L, 2L, 1L,
                1L);
    }

    @Test
    void cpmDiagramsPredictRevenueInMicros() {
        // $2 CPM over 1000 impressions predicts $2 of revenue; $2.50 realised is a $2.50 CPM
        Reliability r = Reliability.cpm().add(2_000_000.0, 1000L, 2_500_000L);
        Reliability.Group g = r.groups(10).get(0);
        assertThat(g.predictedAmount()).isEqualTo(2_000_000.0);
        assertThat(g.realisedAmount()).isEqualTo(2_500_000L);
        assertThat(g.meanPrediction()).isEqualTo(2_000_000.0);
        assertThat(g.realisedRate()).isEqualTo(2_500_000.0);
    }

    @Test
    void withoutWeightOneGroupWithoutRates() {
        Reliability r = new Reliability(DECADES, 1).add(3.0, 0L, 4L).add(30.0, 0L, 1L);
        assertThat(r.groups(10)).singleElement().satisfies(g -> {
            assertThat(g.keys()).isEqualTo(2);
            assertThat(g.realisedAmount()).isEqualTo(5);
            assertThat(g.meanPrediction()).isNull();
            assertThat(g.realisedRate()).isNull();
        });
        assertThat(new Reliability(DECADES, 1).groups(10)).isEmpty();
    }

    @Test
    void mergeInAnyOrderEqualsAddingInSequence() {
        Random rnd = new Random(3);
        List<double[]> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            keys.add(new double[] {rnd.nextInt(4) == 0 ? 0 : Math.exp(rnd.nextGaussian() * 3), rnd.nextInt(50),
                rnd.nextInt(1000)});
        }
        List<Reliability.Group> sequential = of(keys).groups(10);
        Collections.shuffle(keys, rnd);
        Reliability merged = of(keys.subList(1500, 2000));
        merged = of(keys.subList(0, 700)).merge(merged).merge(of(keys.subList(700, 1500)));
        List<Reliability.Group> groups = merged.groups(10);
        assertThat(groups).hasSameSizeAs(sequential);
        for (int i = 0; i < groups.size(); i++) {
            assertThat(groups.get(i).keys()).isEqualTo(sequential.get(i).keys());
            assertThat(groups.get(i).weight()).isEqualTo(sequential.get(i).weight());
            assertThat(groups.get(i).realisedAmount()).isEqualTo(sequential.get(i).realisedAmount());
            assertThat(groups.get(i).predictedAmount())
                    .isCloseTo(sequential.get(i).predictedAmount(), within(1e-9 * sequential.get(i).predictedAmount()));
        }
    }

    @Test
    void faultyValuesAndOtherBinsAreRefused() {
        assertThatThrownBy(() -> new Reliability(DECADES, 1).add(null, 1L, 1L))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Reliability(DECADES, 1).add(1.0, -1L, 1L))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Reliability(DECADES, 1).add(Double.POSITIVE_INFINITY, 1L, 1L))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Reliability.cpm().merge(Reliability.rate()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reliability(DECADES, 1).groups(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
