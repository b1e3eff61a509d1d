package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand: rank / raw ratios in bins of a fifth of a decade. */
class EvalRatioHistogramTest {

    @Test
    void ratiosInLogBinsAndTheUndefinedApart() {
        RatioHistogram h = new RatioHistogram()
                .add(2_000_000.0, 1_000_000.0)  // 2: [10^0.2, 10^0.4) = [1.585, 2.512), bin 17
                .add(2_400_000.0, 1_000_000.0)  // 2.4: same bin
                .add(1_000_000.0, 1_000_000.0)  // 1: [1, 1.585), bin 16
                .add(1_000.0, 1_000_000.0)      // 0.001: the lowest edge, bin 1
                .add(0.0, 5.0)                  // 0: below every edge, bin 0
                .add(1e9, 1.0)                  // 1e9: past 1000, the last bin
                .add(3.0, null)                 // no raw CPM
                .add(5.0, 0.0)                  // raw 0
                .add(0.0, 0.0);                 // 0 / 0
        List<RatioHistogram.Bin> bins = h.histogram();
        assertThat(bins).hasSize(32);
        assertThat(bins.get(17).keys()).isEqualTo(2);
        assertThat(bins.get(17).lower()).isCloseTo(1.5848931924611136, within(1e-12));
        assertThat(bins.get(17).upper()).isCloseTo(2.51188643150958, within(1e-12));
        assertThat(bins.get(16).keys()).isEqualTo(1);
        assertThat(bins.get(16).lower()).isCloseTo(1.0, within(1e-15));
        assertThat(bins.get(1).keys()).isEqualTo(1);
        assertThat(bins.get(0).keys()).isEqualTo(1);
        assertThat(bins.get(0).lower()).isZero();
        assertThat(bins.get(31).keys()).isEqualTo(1);
        assertThat(bins.get(31).upper()).isInfinite();
        assertThat(bins.stream().mapToLong(RatioHistogram.Bin::keys).sum()).isEqualTo(6);
        assertThat(h.keys()).isEqualTo(6);
        assertThat(h.undefined()).isEqualTo(1);
        assertThat(h.rawZero()).isEqualTo(1);
        assertThat(h.bothZero()).isEqualTo(1);
    }

    @Test
    void mergeAddsCountsExactly() {
        RatioHistogram a = new RatioHistogram().add(2.0, 1.0).add(1.0, null);
        RatioHistogram b = new RatioHistogram().add(2.2, 1.0).add(5.0, 0.0).add(0.5, 1.0);
        RatioHistogram m = a.merge(b);
        assertThat(m.histogram().get(17).keys()).isEqualTo(2);
        assertThat(m.histogram().get(14).keys()).isEqualTo(1); // 0.5: [10^-0.4, 10^-0.2) = [0.398, 0.631)
        assertThat(m.keys()).isEqualTo(3);
        assertThat(m.undefined()).isEqualTo(1);
        assertThat(m.rawZero()).isEqualTo(1);
        assertThatThrownBy(() -> m.merge(new RatioHistogram(new LogBins(1, 1, 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void faultyValuesAreRefused() {
        assertThatThrownBy(() -> new RatioHistogram().add(null, 1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new RatioHistogram().add(1.0, -1.0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new RatioHistogram().add(Double.NaN, 1.0)).isInstanceOf(InvalidInputException.class);
    }
}
