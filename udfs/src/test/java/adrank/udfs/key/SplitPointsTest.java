package adrank.udfs.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitPointsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> text(List<byte[]> points) {
        return points.stream().map(p -> new String(p, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void pointsAreTheSampleQuantiles() {
        // 12 keys k00..k11 shuffled; 4 regions cut at ranks 3, 6, 9 -> k03, k06, k09
        List<byte[]> sample = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sample.add(b(String.format("ad|k%02d", i)));
        }
        Collections.shuffle(sample, new Random(3));
        assertThat(text(SplitPoints.quantiles(sample, 4))).containsExactly("ad|k03", "ad|k06", "ad|k09");
        assertThat(SplitPoints.quantiles(sample, 1)).isEmpty();
    }

    @Test
    void duplicatesAndTinySamplesNeverMakeEmptyRegions() {
        List<byte[]> sample = List.of(b("a"), b("a"), b("a"), b("b"), b("b"), b("c"));
        // ranks 1..5 of 6 regions are a, a, b, b, c: the smallest key and repeats are dropped
        assertThat(text(SplitPoints.quantiles(sample, 6))).containsExactly("b", "c");
        assertThat(SplitPoints.quantiles(List.of(), 8)).isEmpty();
        assertThatThrownBy(() -> SplitPoints.quantiles(List.of(b("")), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SplitPoints.quantiles(List.of(b("a")), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderIsHBasesUnsignedByteOrderNotJavasCharOrder() {
        // U+FB01 (ef ac 81 in UTF-8) sorts before U+1F600 (f0 9f 98 80) as bytes, but after it as UTF-16
        // chars (fb01 > d83d); HBase stores rows in byte order
        List<byte[]> sample = List.of(b("\uFB01"), b("\uD83D\uDE00"), b("z"));
        assertThat(text(SplitPoints.quantiles(sample, 3))).containsExactly("\uFB01", "\uD83D\uDE00");
    }

    @Test
    void regionOfFollowsHBaseBoundaries() {
        List<byte[]> points = List.of(b("b"), b("d"));
        assertThat(SplitPoints.regionOf(points, b("a"))).isZero();
        assertThat(SplitPoints.regionOf(points, b("b"))).isEqualTo(1); // a start key belongs to its region
        assertThat(SplitPoints.regionOf(points, b("c"))).isEqualTo(1);
        assertThat(SplitPoints.regionOf(points, b("d"))).isEqualTo(2);
        assertThat(SplitPoints.regionOf(points, b("zz"))).isEqualTo(2);
        assertThat(SplitPoints.regionOf(List.of(), b("x"))).isZero();
    }

    @Test
    void shareRatiosAgainstTheFairShare() {
        // 10 + 30 + 20 = 60 over 3 regions: fair share 20
        assertThat(SplitPoints.shareRatios(new long[] {10, 30, 20})).containsExactly(0.5, 1.5, 1.0);
        assertThat(SplitPoints.shareRatios(new long[] {0, 0})).containsExactly(0.0, 0.0);
    }
}
