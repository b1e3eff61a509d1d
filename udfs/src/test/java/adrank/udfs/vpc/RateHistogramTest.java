package adrank.udfs.vpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RateHistogramTest {

    @Test
    void countsKeysPerPairWhateverTheMergeOrder() {
        Random random = new Random(3);
        List<RateHistogram> keys = new ArrayList<>();
        long[][] expected = new long[11][4]; // [clicks][convs] for clicks 1..10, convs 0..3
        for (int i = 0; i < 5_000; i++) {
            int clicks = 1 + random.nextInt(10);
            int convs = random.nextInt(4);
            keys.add(RateHistogram.of((long) convs, (long) clicks));
            expected[clicks][convs]++;
        }
        keys.add(RateHistogram.of(3L, 0L)); // no clicks: no rate, not counted
        RateHistogram forward = keys.stream().reduce(RateHistogram.EMPTY, RateHistogram::plus);
        Collections.shuffle(keys, random);
        RateHistogram halves = keys.subList(0, 2_000).stream().reduce(RateHistogram.EMPTY, RateHistogram::plus)
                .plus(keys.subList(2_000, keys.size()).stream().reduce(RateHistogram.EMPTY, RateHistogram::plus));
        assertThat(halves).isEqualTo(forward);
        assertThat(forward.size()).isEqualTo(40);
        long total = 0;
        for (int i = 0; i < forward.size(); i++) {
            assertThat(forward.keys()[i]).isEqualTo(expected[forward.clicks()[i]][forward.conversions()[i]]);
            total += forward.keys()[i];
        }
        assertThat(total).isEqualTo(5_000);
    }

    @Test
    void aKeyWithMoreThan1024ClicksKeepsItsRateOver1024() {
        // 150 of 2000 clicks: 150 · 1024 / 2000 = 76.8 -> 77 of 1024
        RateHistogram h = RateHistogram.of(150L, 2_000L);
        assertThat(h.clicks()).containsExactly(1024);
        assertThat(h.conversions()).containsExactly(77);
        assertThat(RateHistogram.of(5L, 1024L).clicks()).containsExactly(1024);
        assertThat(RateHistogram.of(5L, 1024L).conversions()).containsExactly(5);
    }

    @Test
    void theFitIsTheFitOfTheGroupedCounts() {
        RateHistogram h = RateHistogram.EMPTY;
        long[][] keys = {{0, 1}, {0, 1}, {1, 1}, {0, 5}, {2, 5}, {3, 20}, {0, 20}, {1, 2}};
        for (long[] k : keys) {
            h = h.plus(RateHistogram.of(k[0], k[1]));
        }
        long[] y = new long[keys.length];
        double[] n = new double[keys.length];
        long[] w = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            y[i] = keys[i][0];
            n[i] = keys[i][1];
            w[i] = 1;
        }
        // the same likelihood summed in another order: equal up to the rounding of a flat maximum
        GammaMixtureFit.Fit ungrouped = GammaMixtureFit.fit(y, n, w);
        assertThat(h.size()).isEqualTo(7);
        assertThat(h.fit().shape()).isCloseTo(ungrouped.shape(), org.assertj.core.api.Assertions.withinPercentage(1e-4));
        assertThat(h.fit().rate()).isCloseTo(ungrouped.rate(), org.assertj.core.api.Assertions.withinPercentage(1e-4));
    }

    @Test
    void faultyCountersAndEntriesAreRejected() {
        assertThatThrownBy(() -> RateHistogram.of(-1L, 3L)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> RateHistogram.of(1L, null)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new RateHistogram(new int[] {2, 1}, new int[] {0, 0}, new long[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class); // out of order
        assertThatThrownBy(() -> new RateHistogram(new int[] {1025}, new int[] {0}, new long[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
