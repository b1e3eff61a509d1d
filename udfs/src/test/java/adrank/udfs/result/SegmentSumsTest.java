package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.within;

import adrank.udfs.stats.Counters;
import adrank.udfs.vpc.RateHistogram;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Segment sums stay exact far beyond 64 bits and fail loudly instead of wrapping. */
class SegmentSumsTest {

    private static final BigInteger TWO_40 = BigInteger.ONE.shiftLeft(40);

    @Test
    void twentyMillionOneClickKeysSumExactly() {
        // One click each, every third key converted once: each contributes 2^40 to the fixed-point
        // Σ 1/clicks — 20 M of them is ~2^64.25, past a signed 64-bit sum (that wrapped at 2^23 keys).
        int keys = 20_000_000;
        SegmentSums converted = SegmentSums.of(new Counters(30, 1, 1, 9_000_000_000L, 25_000_000));
        SegmentSums unconverted = SegmentSums.of(new Counters(30, 1, 0, 9_000_000_000L, 0));
        // two partial sums (as two Spark partitions would), merged in both orders
        SegmentSums first = SegmentSums.EMPTY;
        SegmentSums second = SegmentSums.EMPTY;
        for (int i = 0; i < keys; i++) {
            SegmentSums key = i % 3 == 0 ? converted : unconverted;
            if (i < keys / 2) {
                first = first.plus(key);
            } else {
                second = second.plus(key);
            }
        }
        SegmentSums all = first.plus(second);
        assertThat(second.plus(first)).isEqualTo(all);

        long convertedKeys = (keys + 2) / 3; // i = 0, 3, 6, ...: 6,666,667
        assertThat(all.keys()).isEqualTo(keys);
        assertThat(all.rateKeys()).isEqualTo(keys);
        // counters: 600 M impressions; revenue 20 M × 9e9 = 1.8e17 micros (fits a long)
        assertThat(all.counters()).isEqualTo(new Counters(600_000_000L, keys, convertedKeys,
                180_000_000_000_000_000L, convertedKeys * 25_000_000L));
        assertThat(all.encodeCounters()).isEqualTo("600000000 20000000 6666667 180000000000000000 166666675000000");
        // fixed-point sums, checked through the words against BigInteger arithmetic
        long[] w = all.words();
        assertThat(wide(w, 5)).isEqualTo(TWO_40.multiply(BigInteger.valueOf(convertedKeys))); // Σ rate
        assertThat(wide(w, 6)).isEqualTo(TWO_40.multiply(BigInteger.valueOf(convertedKeys))); // Σ rate²
        assertThat(wide(w, 7)).isEqualTo(TWO_40.multiply(BigInteger.valueOf(keys)));           // Σ 1/clicks
        assertThat(wide(w, 7).bitLength()).isGreaterThan(64);
        // and the moments derived from them: mean 1/3 (exactly 6,666,667/20 M), h = 1
        assertThat(all.moments().mean()).isEqualTo((double) convertedKeys / keys);
        assertThat(all.moments().meanInverseClicks()).isEqualTo(1.0);
    }

    @Test
    void countersBeyondALongStayExactAndRefuseToBecomeALong() {
        // 2^31 keys each with 200 days of a very heavy key: 2^62 micros of revenue apiece
        SegmentSums heavy = SegmentSums.of(new Counters(1, 0, 0, 1L << 62, 0));
        SegmentSums sum = heavy;
        for (int doubling = 0; doubling < 31; doubling++) { // 2^31 keys by doubling
            sum = sum.plus(sum);
        }
        assertThat(sum.keys()).isEqualTo(1L << 31);
        assertThat(sum.encodeCounters()).isEqualTo("2147483648 0 0 " + BigInteger.ONE.shiftLeft(93) + " 0");
        assertThat(sum.cpm()).isEqualTo(Math.scalb(1.0, 62) * 1000);
        assertThatThrownBy(sum::counters).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("revenue micros (" + BigInteger.ONE.shiftLeft(93) + ")");
    }

    @Test
    void aSumPast128BitsFailsLoudlyInsteadOfWrapping() {
        // revenue sum 2^126 (hi word 2^62): doubling reaches 2^127, one past the largest sum
        long[] words = new long[2 * SegmentSums.WIDE_SUMS];
        words[2 * 3] = 1L << 62;
        SegmentSums big = SegmentSums.ofWords(1, 0, words);
        assertThatThrownBy(() -> big.plus(big)).isInstanceOf(ArithmeticException.class);
        // one below still adds exactly
        words[2 * 3] = (1L << 62) - 1;
        SegmentSums below = SegmentSums.ofWords(1, 0, words);
        assertThat(below.plus(below).encodeCounters())
                .isEqualTo("0 0 0 " + BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE.shiftLeft(65)) + " 0");
    }

    @Test
    void aKeyWithMoreConversionsThanClicksHasARate() {
        SegmentSums s = SegmentSums.of(new Counters(0, 2, 7, 0, 0)).plus(SegmentSums.of(new Counters(10, 1, 0, 0, 0)));
        assertThat(s.rateKeys()).isEqualTo(2);
        // rates 3.5 and 0: mean 1.75, Σ(r − m)² = 2 · 1.75² = 6.125, Σ1/clicks = 1.5
        assertThat(s.moments().mean()).isEqualTo(1.75);
        assertThat(s.moments().sumSquares()).isEqualTo(6.125);
        assertThat(s.moments().sumInverseClicks()).isEqualTo(1.5);
    }

    @Test
    void logValueMomentsAndTheHistogramOfTheKeysWhateverTheOrder() {
        // known_answers.py (vpc_priors, mpmath): mean values 15e6, 10e6, 25e6 micros per conversion:
        // mean log 16.558680930952426, sample variance 0.21082224618459227
        List<SegmentSums> keys = new ArrayList<>(List.of(
                SegmentSums.of(new Counters(100, 10, 2, 0, 30_000_000)),
                SegmentSums.of(new Counters(100, 0, 1, 0, 10_000_000)), // view-through: value, no rate
                SegmentSums.of(new Counters(100, 3_000, 4, 0, 100_000_000)),
                SegmentSums.of(new Counters(100, 10, 2, 0, 0)),         // conversions without value: no log
                SegmentSums.of(new Counters(100, 10, 0, 0, 0))));
        SegmentSums forward = keys.stream().reduce(SegmentSums.EMPTY, SegmentSums::plus);
        Collections.reverse(keys);
        assertThat(keys.stream().reduce(SegmentSums.EMPTY, SegmentSums::plus)).isEqualTo(forward);
        assertThat(forward.valueKeys()).isEqualTo(3);
        assertThat(forward.logValueMean()).isCloseTo(16.558680930952426, within(1e-11));
        assertThat(forward.logValueVariance()).isCloseTo(0.21082224618459227, within(1e-10));
        // (conversions, clicks) pairs: 0/10, 2/10 twice, 4 of 3,000 thinned to round(4·1024/3000) = 1 of 1024
        RateHistogram h = forward.histogram();
        assertThat(h.clicks()).containsExactly(10, 10, 1024);
        assertThat(h.conversions()).containsExactly(0, 2, 1);
        assertThat(h.keys()).containsExactly(1L, 2L, 1L);
        assertThat(SegmentSums.EMPTY.logValueMean()).isNull();
        assertThat(SegmentSums.of(new Counters(1, 1, 1, 0, 5)).logValueVariance()).isNull();
    }

    private static BigInteger wide(long[] words, int index) {
        return BigInteger.valueOf(words[2 * index]).shiftLeft(64)
                .add(new BigInteger(Long.toUnsignedString(words[2 * index + 1])));
    }
}
