package adrank.udfs.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShrinkageTest {

    /*
     * Efron, B. and Morris, C. (1975). Data Analysis Using Stein's Estimator and Its
     * Generalizations. JASA 70(350), 311–319, Table 1 and Section 1: 18 players, 45 at-bats
     * each, grand mean ȳ = .265, shrinkage factor c = .212, estimator z = ȳ + c·(y − ȳ);
     * Roberto Clemente's .400 (18 hits) becomes .294.
     *
     * Mapping to the rank: at-bats = impressions (45), hits = revenue, parent CPM = .265 × 1000
     * (a CPM is per thousand), and c = weight = 45 / (45 + k), so k = 45·(1 − .212)/.212
     * = 8865/53 = 167.264… at-bats. Hits per player from the same paper, as distributed in
     * R's pscl::EfronMorris (column r). src/test/python/known_answers.py also recomputes
     * ȳ = 215/810 = .2654 and c = 1 − 15·σ²/Σ(y − ȳ)² = .2117 from those hits, confirming
     * the published constants.
     */
    private static final double EM_K = 45.0 * (1 - 0.212) / 0.212;
    private static final long[] EM_HITS =
        {18, 17, 16, 15, 14, 14, 13, 12, 11, 11, 10, 10, 10, 10, 10, 9, 8, 7};

    @Test
    void efronMorrisClementeFrom400To294() {
        assertThat(Shrinkage.weight(45L, EM_K)).isCloseTo(0.212, within(1e-15));
        double rank = Shrinkage.rank(18L, 45L, 265.0, EM_K);
        // .265 + .212 × (.400 − .265) = .29362, published rounded as .294
        assertThat(rank).isCloseTo(293.62, within(293.62 * 1e-12));
        assertThat(Math.round(rank)).isEqualTo(294);
    }

    @Test
    void efronMorrisAllPlayersFollowThePublishedEstimator() {
        for (long hits : EM_HITS) {
            double y = hits / 45.0 * 1000;
            double published = 265 + 0.212 * (y - 265); // z = ȳ + c (y − ȳ), in thousandths
            assertThat(Shrinkage.rank(hits, 45L, 265.0, EM_K))
                .as("hits %d", hits).isCloseTo(published, within(published * 1e-12));
        }
    }

    @Test
    void handExample() {
        // cpm 3_000_000, parent 1_000_000, k = impressions = 1000: weight ½, rank 2_000_000.
        assertThat(Shrinkage.weight(1000L, 1000)).isEqualTo(0.5);
        assertThat(Shrinkage.rank(3_000_000L, 1000L, 1_000_000.0, 1000)).isEqualTo(2_000_000.0);
    }

    @Test
    void keyWithoutImpressionsRanksAtItsParent() {
        assertThat(Shrinkage.weight(0L, 500)).isZero();
        assertThat(Shrinkage.rank(0L, 0L, 1234.5, 500)).isEqualTo(1234.5);
        assertThat(Shrinkage.blend(null, 1234.5, 0)).isEqualTo(1234.5);
    }

    @Test
    void weightIsInUnitIntervalAndMonotoneInImpressions() {
        SplittableRandom rnd = new SplittableRandom(20240611L);
        for (int i = 0; i < 10_000; i++) {
            double k = Math.exp(rnd.nextDouble(-5, 15));
            long imps = rnd.nextLong(0, 1L << 40);
            long more = imps + rnd.nextLong(1, 1L << 20);
            double w = Shrinkage.weight(imps, k);
            assertThat(w).isBetween(0.0, 1.0);
            assertThat(Shrinkage.weight(more, k)).isGreaterThanOrEqualTo(w);
        }
    }

    @Test
    void rankLiesBetweenOwnAndParentCpmAndEqualsTheBlend() {
        SplittableRandom rnd = new SplittableRandom(7L);
        for (int i = 0; i < 10_000; i++) {
            long imps = rnd.nextLong(1, 10_000_000);
            long rev = rnd.nextLong(0, imps * 20_000); // CPMs up to 20 currency units
            double parent = rnd.nextDouble(0, 20_000_000);
            double k = Math.exp(rnd.nextDouble(-3, 14));
            double own = Rates.cpm(rev, imps);
            double rank = Shrinkage.rank(rev, imps, parent, k);
            double slack = 1e-12 * Math.max(own, parent);
            assertThat(rank).isBetween(Math.min(own, parent) - slack, Math.max(own, parent) + slack);
            assertThat(Shrinkage.blend(own, parent, Shrinkage.weight(imps, k)))
                .isCloseTo(rank, within(slack + 1e-9));
        }
    }

    @Test
    void faultyDataAndFaultyConfigurationAreDifferentErrors() {
        assertThatThrownBy(() -> Shrinkage.rank(1L, 10L, null, 100))
            .isInstanceOf(InvalidInputException.class).hasMessage("parentCpm is null");
        assertThatThrownBy(() -> Shrinkage.rank(1L, 10L, Double.NaN, 100))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("parentCpm (NaN) is not a finite number >= 0");
        assertThatThrownBy(() -> Shrinkage.rank(1L, 10L, -3.0, 100))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("parentCpm (-3.0) is not a finite number >= 0");
        assertThatThrownBy(() -> Shrinkage.weight(-1L, 100))
            .isInstanceOf(InvalidInputException.class).hasMessage("impressions (-1) is negative");
        assertThatThrownBy(() -> Shrinkage.blend(null, 10.0, 0.5))
            .isInstanceOf(InvalidInputException.class).hasMessage("ownCpm is null");

        for (double k : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> Shrinkage.weight(10L, k))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("k (" + k + ") is not in (0.0, Infinity)");
        }
    }

    @Test
    void estimateAppliesTheDriftRuleBeforeBlending() {
        DriftPolicy policy = new DriftPolicy(3, 0.5);
        // cpm 3_000_000, parent 1_000_000, k 1000: weight ½ → ¼ after drift, rank 1_500_000.
        RankEstimate drifting = Shrinkage.estimate(3_000_000L, 1000L, 1_000_000.0, 1000, -4.0,
            policy);
        assertThat(drifting).isEqualTo(
            new RankEstimate(3_000_000.0, 0.25, 1_000_000.0, 1_500_000.0, -4.0, true));

        RankEstimate calm = Shrinkage.estimate(3_000_000L, 1000L, 1_000_000.0, 1000, 1.0, policy);
        assertThat(calm).isEqualTo(
            new RankEstimate(3_000_000.0, 0.5, 1_000_000.0, 2_000_000.0, 1.0, false));

        RankEstimate unseen = Shrinkage.estimate(0L, 0L, 1_000_000.0, 1000, null, policy);
        assertThat(unseen).isEqualTo(
            new RankEstimate(null, 0.0, 1_000_000.0, 1_000_000.0, null, false));
    }
}
