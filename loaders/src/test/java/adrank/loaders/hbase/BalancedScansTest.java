package adrank.loaders.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

class BalancedScansTest {

    private static List<byte[]> keys(String... keys) {
        return java.util.Arrays.stream(keys).map(Bytes::toBytes).toList();
    }

    private static List<String> text(List<byte[]> bounds) {
        return bounds.stream().map(Bytes::toString).toList();
    }

    @Test
    void cutsTheSampleIntoPartsOfEqualSize() {
        // 8 sampled keys in 4 parts: boundaries at places 2, 4 and 6 (0-based), 2 sampled keys per part
        List<byte[]> sample = keys("ad000001", "ad000002", "ad000003", "ad000010", "ad000011", "ad000100",
                "ad100000", "ad200000");
        assertThat(text(BalancedScans.boundaries(sample, 4))).containsExactly("ad000003", "ad000011", "ad100000");
        // 8 in 3 parts: places 8/3 = 2 and 16/3 = 5
        assertThat(text(BalancedScans.boundaries(sample, 3))).containsExactly("ad000003", "ad000100");
    }

    @Test
    void fewerSampledKeysThanPartsGiveFewerBoundariesNeverARepeatedOne() {
        assertThat(BalancedScans.boundaries(keys(), 8)).isEmpty();
        assertThat(BalancedScans.boundaries(keys("a"), 1)).isEmpty();
        // 2 keys in 8 parts: places i * 2 / 8 = 0,0,0,1,1,1,1 -> "a" then "b", each once
        assertThat(text(BalancedScans.boundaries(keys("a", "b"), 8))).containsExactly("a", "b");
        assertThatThrownBy(() -> BalancedScans.boundaries(keys("a"), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
