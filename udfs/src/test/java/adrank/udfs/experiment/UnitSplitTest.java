package adrank.udfs.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitSplitTest {

    @Test
    void murmur3KnownAnswers() {
        assertThat(Murmur3.hash64(new byte[0], 0)).isZero();
        // Python: mmh3.hash64("foo") == (-2129773440516405919, 9128664383759220103)
        assertThat(Murmur3.hash64("foo".getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(-2129773440516405919L);
    }

    @Test
    void murmur3MatchesGuavaForEveryTailLength() {
        Random random = new Random(7);
        for (int length = 0; length < 70; length++) {
            for (int round = 0; round < 20; round++) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                int seed = random.nextInt(1_000_000);
                assertThat(Murmur3.hash64(data, seed)).as("length %d seed %d", length, seed)
                        .isEqualTo(com.google.common.hash.Hashing.murmur3_128(seed).hashBytes(data).asLong());
            }
        }
    }

    @Test
    void bucketIsTheTop53BitsOfTheHashOfSaltSlashUnit() {
        // independent of the class: Guava's h1 of "exp-1/user-42", unsigned, top 53 bits, / 2^53
        long h1 = com.google.common.hash.Hashing.murmur3_128(0)
                .hashBytes("exp-1/user-42".getBytes(StandardCharsets.UTF_8)).asLong();
        double expected = new BigInteger(Long.toUnsignedString(h1)).shiftRight(11).doubleValue() / Math.pow(2, 53);
        assertThat(UnitSplit.bucket("exp-1", "user-42")).isEqualTo(expected);
    }

    @Test
    void bucketsAreUniformAndIndependentAcrossSalts() {
        int n = 100_000;
        int[] deciles = new int[10];
        int inBoth = 0;
        for (int u = 0; u < n; u++) {
            double bucket = UnitSplit.bucket("mx-test", "user-" + u);
            assertThat(bucket).isGreaterThanOrEqualTo(0.0).isLessThan(1.0);
            deciles[(int) (bucket * 10)]++;
            if (bucket < 0.1 && UnitSplit.bucket("mx-test-2", "user-" + u) < 0.1) {
                inBoth++;
            }
        }
        for (int count : deciles) {
            assertThat(count / (double) n).isBetween(0.095, 0.105);
        }
        assertThat(inBoth / (double) n).isBetween(0.008, 0.012);
    }

    @Test
    void raisingTheShareOnlyAddsUnits() {
        for (int u = 0; u < 10_000; u++) {
            if (UnitSplit.inB("e", "u" + u, 0.1)) {
                assertThat(UnitSplit.inB("e", "u" + u, 0.5)).isTrue();
            }
        }
        assertThat(UnitSplit.inB("e", "anyone", 1.0)).isTrue();
        assertThat(UnitSplit.inB("e", "anyone", 0.0)).isFalse();
        assertThatThrownBy(() -> UnitSplit.bucket(null, "u")).isInstanceOf(IllegalArgumentException.class);
    }
}
