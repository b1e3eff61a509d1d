package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.stats.Counters;
import adrank.udfs.vpc.PriorGuard;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentSumsBlobTest {

    private static final RankSettings SETTINGS = new RankSettings(1000, 500, new DriftPolicy(3, 0.5), 0.9, 0.9,
            PriorGuard.DEFAULT, 5);

    @Test
    void packedSumsComeBackAsTheModelsOfTheSameSums() {
        Map<String, SegmentSums> sums = new LinkedHashMap<>();
        sums.put("*", SegmentSums.of(new Counters(1_000_000, 20_000, 900, 3_500_000_000L, 45_000_000_000L))
                .plus(SegmentSums.of(new Counters(5_000, 100, 3, 12_000_000, 150_000_000))));
        sums.put("ad_id,geo:42|MX", SegmentSums.of(new Counters(10, 1, 0, 20_000, 0)));
        sums.put("geo,device:ÜÖ|tablet", SegmentSums.EMPTY);

        byte[] blob = SegmentSumsBlob.pack(sums.entrySet().iterator());
        Map<String, ParentModel> models = new HashMap<>();
        SegmentSumsBlob.unpackModels(blob, SETTINGS, models);

        Map<String, ParentModel> expected = new HashMap<>();
        sums.forEach((key, s) -> expected.put(key, ParentModel.of(key, s, SETTINGS)));
        assertThat(models).isEqualTo(expected);
        assertThat(models.get("ad_id,geo:42|MX").sums()).isEqualTo(sums.get("ad_id,geo:42|MX"));
    }

    @Test
    void anEmptyBlobHasNoSegmentsAndGarbageIsRefused() {
        Map<String, ParentModel> models = new HashMap<>();
        SegmentSumsBlob.unpackModels(SegmentSumsBlob.pack(Map.<String, SegmentSums>of().entrySet().iterator()),
                SETTINGS, models);
        assertThat(models).isEmpty();
        assertThatThrownBy(() -> SegmentSumsBlob.unpackModels(new byte[] {0, 3, 'a'}, SETTINGS,
                new HashMap<>())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a segment sums blob");
    }
}
