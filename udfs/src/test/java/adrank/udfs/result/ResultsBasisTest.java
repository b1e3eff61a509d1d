package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultsBasisTest {

    private static final String FP = "0123456789abcdef";

    @Test
    void anHourOfAnOpenDayBuildsOnACompleteBasisWithTheSameSettings() {
        ResultsBasis basis = new ResultsBasis(100, FP, 1_000);
        assertThat(ResultsBasis.decide(true, basis, FP, true, 1.0)).isEqualTo(ResultsBasis.Mode.INCREMENTAL);
    }

    @Test
    void everyOtherCaseRunsTheFullStageAndSaysWhy() {
        ResultsBasis basis = new ResultsBasis(100, FP, 1_000);
        assertThat(ResultsBasis.decide(false, basis, FP, true, 1.0)).isEqualTo(ResultsBasis.Mode.FULL_CONFIGURED);
        assertThat(ResultsBasis.decide(true, basis, FP, false, 1.0)).isEqualTo(ResultsBasis.Mode.FULL_LATE_HOUR);
        assertThat(ResultsBasis.decide(true, null, FP, true, 1.0)).isEqualTo(ResultsBasis.Mode.FULL_NO_BASIS);
        assertThat(ResultsBasis.decide(true, basis, "fedcba9876543210", true, 1.0))
                .isEqualTo(ResultsBasis.Mode.FULL_SETTINGS_CHANGED);
        assertThat(ResultsBasis.Mode.FULL_DATA_GREW.why()).contains("rank.results-refresh-share");
    }

    @Test
    void theFullStageReturnsOnceTheDataAppliedSinceExceedsTheShare() {
        // exactly the share still builds on the basis; one impression more does not
        assertThat(ResultsBasis.decide(true, basis(1_000, 250), FP, true, 0.25))
                .isEqualTo(ResultsBasis.Mode.INCREMENTAL);
        assertThat(ResultsBasis.decide(true, basis(1_000, 251), FP, true, 0.25))
                .isEqualTo(ResultsBasis.Mode.FULL_DATA_GREW);
        // a basis that saw no impressions is refreshed by the first hour that brings any
        assertThat(ResultsBasis.decide(true, basis(0, 0), FP, true, 1.0))
                .isEqualTo(ResultsBasis.Mode.INCREMENTAL);
        assertThat(ResultsBasis.decide(true, basis(0, 1), FP, true, 1.0))
                .isEqualTo(ResultsBasis.Mode.FULL_DATA_GREW);
    }

    @Test
    void onAFirstDayOfEqualHoursTheFullStageRunsAtHours0And3And9And21() {
        // the schedule reference.conf states for the default share 1: each hour brings 100 impressions
        List<Integer> full = new ArrayList<>();
        ResultsBasis basis = null;
        long stored = 0;
        for (int hour = 0; hour < 24; hour++) {
            ResultsBasis.Mode mode = ResultsBasis.decide(true, basis, FP, true, 1.0);
            stored += 100;
            if (mode.incremental()) {
                basis = basis.plus("h" + hour, 100);
            } else {
                full.add(hour);
                basis = new ResultsBasis(hour, FP, stored);
            }
        }
        assertThat(full).containsExactly(0, 3, 9, 21);
    }

    @Test
    void aReRunOfAnHourReplacesItsImpressionsInsteadOfAddingThem() {
        ResultsBasis basis = new ResultsBasis(7, FP, 1_000).plus("2026080101", 300).plus("2026080102", 200);
        assertThat(basis.impressionsSince()).isEqualTo(500);
        assertThat(basis.plus("2026080101", 250).impressionsSince()).isEqualTo(450);
        assertThat(ResultsBasis.decode(basis.encode())).isEqualTo(basis);
        assertThat(basis.encode()).isEqualTo("7 " + FP + " 1000 2026080101=300,2026080102=200");
        assertThat(ResultsBasis.decode(new ResultsBasis(7, FP, 0).encode()).hoursSince()).isEmpty();
    }

    private static ResultsBasis basis(long impressions, long since) {
        return new ResultsBasis(1, FP, impressions).plus("2026080100", since);
    }

    @Test
    void faultyArgumentsAreRefused() {
        assertThatThrownBy(() -> new ResultsBasis(1, "", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResultsBasis(1, FP, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResultsBasis.decide(true, null, FP, true, 0))
                .hasMessageContaining("rank.results-refresh-share");
        assertThatThrownBy(() -> new ResultsBasis(1, FP, 1).plus("a", Long.MAX_VALUE).plus("b", 1).impressionsSince())
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aStoredParentGivesBackTheCountersAndTheChoiceOfTheParentItWasStoredFrom() {
        // a parent with impressions beyond 64 bits round-trips through its exact decimals
        String counters = BigInteger.ONE.shiftLeft(70).add(BigInteger.valueOf(5)) + " 7 3 123456789012 0";
        ParentModel stored = ParentModel.stored("geo,device:FR|desktop", 12, counters, 1.5, 0.25);
        assertThat(stored.sums().encodeCounters()).isEqualTo(counters);
        assertThat(stored.sums().keys()).isEqualTo(12);
        assertThat(stored.sums().impsAtLeast(Long.MAX_VALUE)).isTrue();
        assertThat(stored.cpm()).isEqualTo(1.5);
        assertThat(stored.betweenKeyVariance()).isEqualTo(0.25);
        ParentModel small = ParentModel.stored("*", 1, "999 0 0 0 0", null, null);
        assertThat(small.sums().impsAtLeast(1000)).isFalse();
        assertThat(small.sums().impsAtLeast(999)).isTrue();
        assertThatThrownBy(() -> SegmentSums.ofCounters(1, "1 2 3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SegmentSums.ofCounters(1, "-1 0 0 0 0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNoiseModelRoundTripsThroughItsTextExactly() {
        NoiseModel model = new NoiseModel(BilledEvent.CLICK, 0.1 + 0.2, 1.0 / 3);
        assertThat(NoiseModel.decode(model.encode())).isEqualTo(model);
        assertThat(model.encode()).isEqualTo("CLICK 0.30000000000000004 0.3333333333333333");
        assertThatThrownBy(() -> NoiseModel.decode("CLICK 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aKeyBasisRoundTripsThroughItsText() {
        KeyBasis both = new KeyBasis(0.1 + 0.2, new NoiseModel(BilledEvent.IMPRESSION, 0.01, 1.0));
        assertThat(both.encode()).isEqualTo("0.30000000000000004 IMPRESSION 0.01 1.0");
        assertThat(KeyBasis.decode(both.encode())).isEqualTo(both);
        assertThat(KeyBasis.decode(new KeyBasis(null, null).encode())).isEqualTo(new KeyBasis(null, null));
        assertThat(new KeyBasis(null, null).encode()).isEqualTo("- -");
        assertThatThrownBy(() -> KeyBasis.decode("-")).isInstanceOf(IllegalArgumentException.class);
    }
}
