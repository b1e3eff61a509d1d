package adrank.udfs.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand, numpy's percentile (type 7) and log10 arithmetic. */
class RankRatiosTest {

    /** {@code r} with the pairs (rank A, rank B) added. */
    private static RankRatios of(RankRatios r, double... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            r.add(pairs[i], pairs[i + 1]);
        }
        return r;
    }

    @Test
    void kindsOfPairs() {
        assertThat(RankRatios.kind(1.0, 2.0)).isEqualTo(RankRatios.Kind.RATIO);
        assertThat(RankRatios.kind(null, 2.0)).isEqualTo(RankRatios.Kind.NO_RANK_A);
        assertThat(RankRatios.kind(2.0, null)).isEqualTo(RankRatios.Kind.NO_RANK_B);
        assertThat(RankRatios.kind(null, null)).isEqualTo(RankRatios.Kind.NO_RANK_BOTH);
        assertThat(RankRatios.kind(0.0, 2.0)).isEqualTo(RankRatios.Kind.ZERO_A);
        assertThat(RankRatios.kind(2.0, 0.0)).isEqualTo(RankRatios.Kind.ZERO_B);
        assertThat(RankRatios.kind(0.0, 0.0)).isEqualTo(RankRatios.Kind.BOTH_ZERO);
        assertThatThrownBy(() -> RankRatios.kind(-1.0, 2.0)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("rank A (-1.0)");
        assertThatThrownBy(() -> RankRatios.kind(1.0, Double.NaN)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RankRatios.kind(1.0, Double.POSITIVE_INFINITY))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void exactQuantilesAreNumpysType7AndTheRestIsCountedApart() {
        RankRatios r = new RankRatios();
        // ratios 1, 2, 3, 4 (ranks in micros), then one of each kind counted apart
        for (double b : new double[] {4e6, 1e6, 3e6, 2e6}) {
            r.add(1e6, b);
        }
        r.add(null, 1.0);
        r.add(1.0, null);
        r.add(0.0, 5.0);
        r.add(5.0, 0.0);
        r.add(0.0, 0.0);
        assertThat(r.exact()).isTrue();
        assertThat(r.ratios()).isEqualTo(4);
        // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 90, 100]) = 1, 1.75, 2.5, 3.7, 4
        assertThat(r.quantile(0)).isEqualTo(1.0);
        assertThat(r.quantile(0.25)).isCloseTo(1.75, within(1e-12));
        assertThat(r.quantile(0.5)).isCloseTo(2.5, within(1e-12));
        assertThat(r.quantile(0.9)).isCloseTo(3.7, within(1e-12));
        assertThat(r.quantile(1)).isEqualTo(4.0);
        // (1 * 2 * 3 * 4)^(1/4) = 24^0.25
        assertThat(r.geometricMean()).isCloseTo(2.2133638394006434, within(1e-12));
        assertThat(r.equal()).isEqualTo(1);
        assertThat(r.up()).isEqualTo(3);
        assertThat(r.down()).isZero();
        assertThat(List.of(r.noRankA(), r.noRankB(), r.zeroA(), r.zeroB(), r.bothZero(), r.noRankBoth()))
                .containsExactly(1L, 1L, 1L, 1L, 1L, 0L);
        assertThat(r.apart()).isEqualTo(5);
    }

    @Test
    void shownBinsAreFiveADecadeFromAMillionthToAMillion() {
        RankRatios r = of(new RankRatios(),
                1e6, 2e6,     // 2 in [10^0.2, 10^0.4) = [1.585, 2.512): coarse bin 32 (edge 30 is 1)
                1e6, 2.4e6,   // same bin
                1e6, 1e6,     // 1: [1, 1.585), bin 31
                1e6, 0.5e6,   // 0.5 in [10^-0.4, 10^-0.2) = [0.398, 0.631): bin 29
                1e12, 1.0);   // 1e-12: below 1e-6, bin 0
        List<RankRatios.Bin> bins = r.histogram();
        assertThat(bins).hasSize(62);
        assertThat(bins.get(32).keys()).isEqualTo(2);
        assertThat(bins.get(32).lower()).isCloseTo(1.5848931924611136, within(1e-12));
        assertThat(bins.get(32).upper()).isCloseTo(2.51188643150958, within(1e-12));
        assertThat(bins.get(31).keys()).isEqualTo(1);
        assertThat(bins.get(31).lower()).isCloseTo(1.0, within(1e-15));
        assertThat(bins.get(29).keys()).isEqualTo(1);
        assertThat(bins.get(0).keys()).isEqualTo(1);
        assertThat(bins.get(0).lower()).isZero();
        assertThat(bins.get(61).upper()).isInfinite();
        assertThat(bins.stream().mapToLong(RankRatios.Bin::keys).sum()).isEqualTo(5);
        assertThat(r.down()).isEqualTo(2);
    }

    @Test
    void pastTheLimitQuantilesComeFromTheFineBins() {
        RankRatios r = new RankRatios(2);
        for (int i = 0; i < 3; i++) {
            r.add(1e6, 2e6);
        }
        assertThat(r.exact()).isFalse();
        // 2 lies in the fine bin [10^0.30, 10^0.32) (log10 2 = 0.30103); the median is order statistic 1 of the
        // bin's 3, taken at (1 + 0.5) / 3 = 1/2 of the bin on a log scale: 10^0.31
        assertThat(r.quantile(0.5)).isCloseTo(2.0417379446695296, within(1e-12));
        assertThat(r.quantile(0.0)).isCloseTo(Math.pow(10, 0.30 + 0.02 / 6), within(1e-12));
        // within one fine bin (a factor 10^(1/50) = 1.047) of the exact value
        assertThat(r.quantile(0.5) / 2).isBetween(1 / 1.0471285480508996, 1.0471285480508996);
        assertThat(of(new RankRatios(0), 1.0, 1e9).quantile(0.5)).as("the open top bin gives its edge")
                .isCloseTo(1e6, within(1e-6));
    }

    @Test
    void noRatiosNoQuantiles() {
        RankRatios r = new RankRatios();
        r.add(null, 1.0);
        assertThat(r.quantile(0.5)).isNull();
        assertThat(r.geometricMean()).isNull();
        assertThatThrownBy(() -> r.quantile(1.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
