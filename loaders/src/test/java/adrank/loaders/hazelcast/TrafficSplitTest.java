package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrafficSplitTest {

    @Test
    void bucketsAreStableUniformAndSaltedByTheBVersion() {
        assertThat(TrafficSplit.bucket("user-1", 3)).isEqualTo(TrafficSplit.bucket("user-1", 3));
        int n = 100_000;
        int[] deciles = new int[10];
        int sameInBoth = 0;
        for (int u = 0; u < n; u++) {
            double bucket = TrafficSplit.bucket("user-" + u, 3);
            assertThat(bucket).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            deciles[(int) (bucket * 10)]++;
            if (bucket < 0.1 && TrafficSplit.bucket("user-" + u, 4) < 0.1) {
                sameInBoth++;
            }
        }
        for (int count : deciles) {
            assertThat(count / (double) n).isBetween(0.095, 0.105);
        }
        // a new experiment draws an independent 10 %: about 1 % of units are in both
        assertThat(sameInBoth / (double) n).isBetween(0.008, 0.012);
    }

    @Test
    void rampingTheShareUpOnlyAddsUnits() {
        for (int u = 0; u < 10_000; u++) {
            if (TrafficSplit.inB("u" + u, 5, 0.05)) {
                assertThat(TrafficSplit.inB("u" + u, 5, 0.2)).isTrue();
            }
        }
        assertThat(TrafficSplit.inB("anyone", 5, 1.0)).isTrue();
        assertThat(TrafficSplit.inB("anyone", 5, 0.0)).isFalse();
    }
}
