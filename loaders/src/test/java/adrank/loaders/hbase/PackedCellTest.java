package adrank.loaders.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PackedCellTest {

    private static final PackedCell CELL = PackedCell.of("ranking", List.of("cpm", "parent", "rank", "run_id"));

    @Test
    void storesTheValuesInFieldOrderJoinedByTabs() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("run_id", "20261122T0300Z-ab12");
        values.put("rank", "1.25");
        values.put("parent", "ad_id,geo:42|MX");
        values.put("cpm", "");

        byte[] packed = CELL.pack(values);

        assertThat(new String(packed, StandardCharsets.UTF_8)).isEqualTo("\tad_id,geo:42|MX\t1.25\t20261122T0300Z-ab12");
        Map<String, String> back = new HashMap<>();
        CELL.unpack(packed, back);
        assertThat(back).isEqualTo(values);
    }

    @Test
    void aMissingFieldIsStoredEmpty() {
        Map<String, String> back = new HashMap<>();
        CELL.unpack(CELL.pack(Map.of("rank", "3.5")), back);
        assertThat(back).containsOnly(Map.entry("cpm", ""), Map.entry("parent", ""), Map.entry("rank", "3.5"),
                Map.entry("run_id", ""));
    }

    @Test
    void aValueWrittenWithFewerFieldsFillsWhatItHas() {
        Map<String, String> back = new HashMap<>();
        CELL.unpack("7.0\tp".getBytes(StandardCharsets.UTF_8), back);
        assertThat(back).containsOnly(Map.entry("cpm", "7.0"), Map.entry("parent", "p"));
    }

    @Test
    void refusesWhatItCouldNotReadBack() {
        assertThatThrownBy(() -> CELL.pack(Map.of("parent", "a\tb")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field parent of the packed cell ranking has a tab or line break");
        assertThatThrownBy(() -> CELL.pack(Map.of("weight", "0.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'weight' is not a field of the packed cell ranking");
        assertThatThrownBy(() -> CELL.unpack("1\t2\t3\t4\t5".getBytes(StandardCharsets.UTF_8), new HashMap<>()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 5 fields, this version knows 4");
    }
}
