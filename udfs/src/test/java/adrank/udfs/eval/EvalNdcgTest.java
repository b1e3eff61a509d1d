package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import adrank.udfs.eval.Ndcg.Ad;
import adrank.udfs.eval.Ndcg.GroupScore;
import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Known answers from known_answers.py {@code evaluation()} (exact fractions, logs by mpmath) and
 * by hand. Gain = realised CPM; {@code DCG@k = Σ g_j / log2(j + 1)}.
 */
class EvalNdcgTest {

    static final double TIGHT = 1e-14;

    /**
     * Predicted order a1, a2, a3, a4; realised CPMs (micros) 1.5 M, 4 M, 0, 2 M.
     * DCG@4 = 1.5 + 4/log2 3 + 0/2 + 2/log2 5; IDCG@4 = 4 + 2/log2 3 + 1.5/2 + 0.
     */
    static final List<Ad> GROUP_1 = List.of(
        new Ad(3_000_000, 1_500_000, 1000), // realised CPM 1,500,000
        new Ad(2_500_000, 1_600_000, 400),  // 4,000,000: the best
        new Ad(1_000_000, 0, 200),          // 0
        new Ad(500_000, 1_000_000, 500));   // 2,000,000

    /**
     * Tie at the top: a and b both predicted 2 M, realised 1 M and 3 M: both positions get the
     * mean 2 M; c realised 2 M; d has no impressions (lagged revenue only): not judged.
     * DCG = 2 + 2/log2 3 + 2/2; IDCG = 3 + 2/log2 3 + 1/2.
     */
    static final List<Ad> GROUP_2 = List.of(
        new Ad(2_000_000, 100_000, 100),
        new Ad(2_000_000, 300_000, 100),
        new Ad(1_000_000, 600_000, 300),
        new Ad(1_000_000, 50_000, 0));

    @Test
    void ndcgOfAFourAdGroupByHand() {
        GroupScore k4 = Ndcg.score(GROUP_1, 4);
        // (1.5 + 2.523719 + 0 + 0.861353) / (4 + 1.261860 + 0.75 + 0) = 0.81257257003901690531
        assertThat(k4.ndcg()).isCloseTo(0.81257257003901690531, within(TIGHT));
        GroupScore k3 = Ndcg.score(GROUP_1, 3);
        // (1.5 + 2.523719 + 0) / (4 + 1.261860 + 0.75) = 0.66929691379266246452
        assertThat(k3.ndcg()).isCloseTo(0.66929691379266246452, within(TIGHT));
        // top-ranked a1 earned 1.5 M per mille, the best (a2) 4 M: 3/8
        assertThat(k4.topVsBest()).isEqualTo(0.375);
        assertThat(k4.impressions()).isEqualTo(2100);
        assertThat(k4.ads()).isEqualTo(4);
        assertThat(k4.judgedAds()).isEqualTo(4);
    }

    @Test
    void tiesShareTheirMeanGainAndUnservedAdsAreNotJudged() {
        GroupScore s = Ndcg.score(GROUP_2, 3);
        // (2 + 2/log2 3 + 1) / (3 + 2/log2 3 + 0.5) = 0.89499900212301794909
        assertThat(s.ndcg()).isCloseTo(0.89499900212301794909, within(TIGHT));
        // the tied top earns (1 M + 3 M)/2 = 2 M on average, the best 3 M
        assertThat(s.topVsBest()).isCloseTo(2.0 / 3, within(TIGHT));
        assertThat(s.ads()).isEqualTo(4);
        assertThat(s.judgedAds()).isEqualTo(3);
        assertThat(s.impressions()).isEqualTo(500);
        // k beyond the judged ads is the whole list
        assertThat(Ndcg.score(GROUP_2, 4).ndcg()).isEqualTo(s.ndcg());
    }

    @Test
    void theScoreDoesNotDependOnTheRowOrder() {
        Random rnd = new Random(3);
        for (List<Ad> group : List.of(GROUP_1, GROUP_2)) {
            GroupScore expected = Ndcg.score(group, 3);
            for (int i = 0; i < 20; i++) {
                List<Ad> shuffled = new ArrayList<>(group);
                Collections.shuffle(shuffled, rnd);
                assertThat(Ndcg.score(shuffled, 3)).isEqualTo(expected);
            }
        }
        // −0.0 ties with 0.0
        assertThat(Ndcg.score(List.of(new Ad(-0.0, 1, 1), new Ad(0.0, 3, 1)), 2))
            .isEqualTo(Ndcg.score(List.of(new Ad(0.0, 3, 1), new Ad(0.0, 1, 1)), 2));
    }

    @Test
    void thePerfectOrderScoresOne() {
        GroupScore s = Ndcg.score(List.of(new Ad(4, 4000, 1000), new Ad(1, 2000, 1000),
            new Ad(3, 3000, 1000)), 3);
        assertThat(s.ndcg()).isEqualTo(1.0);
        assertThat(s.topVsBest()).isEqualTo(1.0);
    }

    @Test
    void impressionWeightedMeanOverGroups() {
        Ndcg acc = Ndcg.empty(3).add(GROUP_1).add(GROUP_2)
            .add(List.of(new Ad(1, 10, 10)))                     // one ad: nothing to order
            .add(List.of(new Ad(1, 10, 0), new Ad(2, 0, 5)))     // one judged ad
            .add(List.of(new Ad(1, 0, 10), new Ad(2, 0, 5)))     // no revenue: no best ad
            .add(List.of());
        Ndcg.Result r = acc.result();
        // (2100·0.66929691 + 500·0.89499900) / 2600 = 0.71270116154850005771
        assertThat(r.ndcg()).isCloseTo(0.71270116154850005771, within(TIGHT));
        // (2100·3/8 + 500·2/3) / 2600 = 269/624
        assertThat(r.topVsBest()).isCloseTo(269.0 / 624, within(TIGHT));
        assertThat(r.groups()).isEqualTo(6);
        assertThat(r.averagedGroups()).isEqualTo(2);
        assertThat(r.groupsTooSmall()).isEqualTo(3);
        assertThat(r.groupsWithoutRevenue()).isEqualTo(1);
        assertThat(r.impressions()).isEqualTo(2600);
        // k = 4: (2100·0.81257257 + 500·0.89499900) / 2600 = 0.82842380697824787527
        assertThat(Ndcg.empty(4).add(GROUP_2).add(GROUP_1).result().ndcg())
            .isCloseTo(0.82842380697824787527, within(TIGHT));
    }

    @Test
    void undefinedIsNullNotNaN() {
        Ndcg.Result none = Ndcg.empty(5).result();
        assertThat(none.ndcg()).isNull();
        assertThat(none.topVsBest()).isNull();
        GroupScore zero = Ndcg.score(List.of(new Ad(1, 0, 10), new Ad(2, 0, 5)), 5);
        assertThat(zero.ndcg()).isNull();
        assertThat(zero.topVsBest()).isNull();
        assertThat(Ndcg.score(List.of(new Ad(1, 7, 10)), 5).ndcg()).isNull();
    }

    @Test
    void mergeInAnyOrderEqualsAddingInSequence() {
        Random rnd = new Random(5);
        List<List<Ad>> groups = new ArrayList<>();
        for (int g = 0; g < 400; g++) {
            List<Ad> ads = new ArrayList<>();
            for (int a = rnd.nextInt(8); a > 0; a--) {
                long imps = rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(5000);
                ads.add(new Ad(rnd.nextInt(6) * 500_000.0, rnd.nextInt(3) == 0 ? 0
                    : rnd.nextInt(5_000_000), imps)); // few distinct predictions: many ties
            }
            groups.add(ads);
        }
        Ndcg sequential = Ndcg.empty(3);
        for (List<Ad> g : groups) {
            sequential = sequential.add(g);
        }
        for (int trial = 0; trial < 5; trial++) {
            Collections.shuffle(groups, rnd);
            List<Ndcg> parts = new ArrayList<>();
            int from = 0;
            while (from < groups.size()) {
                int to = Math.min(groups.size(), from + 1 + rnd.nextInt(100));
                Ndcg part = Ndcg.empty(3);
                for (List<Ad> g : groups.subList(from, to)) {
                    part = part.add(Ndcg.score(g, 3));
                }
                parts.add(part);
                from = to;
            }
            Collections.shuffle(parts, rnd);
            Ndcg merged = Ndcg.empty(3);
            for (Ndcg p : parts) {
                merged = rnd.nextBoolean() ? merged.merge(p) : p.merge(merged);
            }
            Ndcg.Result r = merged.result();
            Ndcg.Result s = sequential.result();
            assertThat(r.groups()).isEqualTo(s.groups());
            assertThat(r.averagedGroups()).isEqualTo(s.averagedGroups());
            assertThat(r.groupsTooSmall()).isEqualTo(s.groupsTooSmall());
            assertThat(r.groupsWithoutRevenue()).isEqualTo(s.groupsWithoutRevenue());
            assertThat(r.impressions()).isEqualTo(s.impressions());
            assertThat(r.ndcg()).isCloseTo(s.ndcg(), withinPercentage(1e-10));
            assertThat(r.topVsBest()).isCloseTo(s.topVsBest(), withinPercentage(1e-10));
        }
    }

    @Test
    void faultyValuesAndParametersAreNamed() {
        assertThatThrownBy(() -> Ad.of(null, 1L, 1L))
            .isInstanceOf(InvalidInputException.class).hasMessage("predictedCpm is null");
        assertThatThrownBy(() -> new Ad(Double.NaN, 1, 1))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("predictedCpm (NaN) is not a finite number >= 0");
        assertThatThrownBy(() -> Ad.of(1.0, -1L, 1L))
            .isInstanceOf(InvalidInputException.class).hasMessage("revenueMicros (-1) is negative");
        assertThatThrownBy(() -> Ad.of(1.0, 1L, null))
            .isInstanceOf(InvalidInputException.class).hasMessage("impressions is null");
        assertThatThrownBy(() -> Ndcg.score(null, 3))
            .isInstanceOf(InvalidInputException.class).hasMessage("ads is null");
        assertThatThrownBy(() -> Ndcg.score(Arrays.asList(new Ad(1, 1, 1), null), 3))
            .isInstanceOf(InvalidInputException.class).hasMessage("ads[1] is null");
        assertThatThrownBy(() -> Ndcg.empty(0))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("k (0) is not >= 1");
        assertThatThrownBy(() -> Ndcg.empty(3).add(Ndcg.score(GROUP_1, 4)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot combine values of different k (3 and 4)");
        assertThatThrownBy(() -> Ndcg.empty(3).merge(Ndcg.empty(5)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot combine values of different k (3 and 5)");
        assertThatThrownBy(() -> new GroupScore(3, 1, 1, 10, 1.0, 1.0))
            .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new GroupScore(3, 2, 2, 10, 1.5, 1.0))
            .isInstanceOf(InvalidInputException.class).hasMessage("ndcg (1.5) is not in [0, 1]");
    }
}
