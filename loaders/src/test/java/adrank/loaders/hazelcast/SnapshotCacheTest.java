package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotCacheTest {

    private final long[] now = {0};
    private final SnapshotCache.Answer answer = new SnapshotCache.Answer(TestSnapshots.entry(1, 1), null, "k");

    @Test
    void answersAreFreshWithinTheTtlAndKeptAfterIt() {
        SnapshotCache cache = new SnapshotCache(100, 1000, () -> now[0]);
        cache.put("s/v1", "k", answer);
        assertThat(cache.get("s/v2", "k")).isNull();
        SnapshotCache.Cached cached = cache.get("s/v1", "k");
        assertThat(cached.answer()).isEqualTo(answer);
        now[0] = 999;
        assertThat(cache.fresh(cached)).isTrue();
        now[0] = 1000;
        assertThat(cache.fresh(cached)).isFalse();
        assertThat(cache.get("s/v1", "k")).isNotNull();
    }

    @Test
    void sizeIsBoundedDroppingExpiredAnswersFirst() {
        SnapshotCache cache = new SnapshotCache(100, 1000, () -> now[0]);
        for (int i = 0; i < 50; i++) {
            cache.put("s/v1", "old" + i, answer);
        }
        now[0] = 5000;
        for (int i = 0; i < 51; i++) {
            cache.put("s/v1", "new" + i, answer);
        }
        assertThat(cache.size()).isEqualTo(51);
        for (int i = 0; i < 51; i++) {
            assertThat(cache.get("s/v1", "new" + i)).isNotNull();
        }
        for (int i = 0; i < 1000; i++) {
            cache.put("s/v1", "more" + i, answer);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
    }

    @Test
    void retainVersionsDropsEveryOtherVersion() {
        SnapshotCache cache = new SnapshotCache(100, 1000, () -> now[0]);
        cache.put("s/v1", "k", answer);
        cache.put("s/v2", "k", answer);
        cache.put("other/v2", "k", answer);
        cache.retainVersions(Set.of("s/v2", "other/v3"));
        assertThat(cache.get("s/v1", "k")).isNull();
        assertThat(cache.get("s/v2", "k")).isNotNull();
        assertThat(cache.get("other/v2", "k")).as("v2 of another schema (a B) is another snapshot").isNull();
        cache.retainVersions(Set.of());
        assertThat(cache.size()).isZero();
    }
}
