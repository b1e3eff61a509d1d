package adrank.loaders.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HazelcastSettingsTest {

    private static ReaderConfig reader(Settings s) {
        return ReaderConfig.from(s, rank(s));
    }

    private static RankConfig rank(Settings s) {
        return RankConfig.from(s, KeyConfig.from(s));
    }

    private static Settings settings(Map<String, Object> overrides) {
        Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return new Settings(config, Path.of("."));
    }

    @Test
    void referenceDefaults() {
        Settings s = settings(Map.of());
        assertThat(HazelcastConfig.from(s)).isEqualTo(new HazelcastConfig("adrank", List.of("127.0.0.1:5701"), 5701,
                71, Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(PublishConfig.from(s)).isEqualTo(new PublishConfig(3, "none", 5000, java.time.Duration.ofMinutes(15)));
        ReaderConfig reader = reader(s);
        assertThat(reader.cacheTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(reader.cacheMaxEntries()).isEqualTo(1_000_000);
        assertThat(reader.readTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(reader.parentSegments()).containsExactly(List.of("ad_id", "geo", "device"),
                List.of("ad_id", "geo"), List.of("geo", "device"), List.of());
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> HazelcastConfig.from(settings(Map.of("hazelcast.members", List.of("host")))))
                .hasMessage("hazelcast.members: 'host' is not host:port");
        assertThatThrownBy(() -> HazelcastConfig.from(settings(Map.of("hazelcast.members", List.of()))))
                .hasMessageContaining("at least one host:port");
        assertThat(HazelcastConfig.from(settings(Map.of("hazelcast.members", List.of("[::1]:5701", "h-1.x:1"))))
                .members()).containsExactly("[::1]:5701", "h-1.x:1");
        assertThatThrownBy(() -> PublishConfig.from(settings(Map.of("publish.after", "weekly"))))
                .hasMessageContaining("publish.after = \"weekly\"").hasMessageContaining("none, hourly, daily");
        assertThatThrownBy(() -> PublishConfig.from(settings(Map.of("publish.retain", 0))))
                .hasMessageContaining("publish.retain = 0");
        assertThatThrownBy(() -> reader(settings(Map.of("reader.read-timeout", "0s"))))
                .hasMessageContaining("reader.read-timeout = \"0s\"").hasMessageContaining("must be in [1ms, 1m]");
    }

    @Test
    void parentSegmentsMustBeProperSubsetsOfTheKey() {
        assertThatThrownBy(() -> rank(settings(Map.of("rank.parents", List.of(List.of("city"))))))
                .hasMessageContaining("names 'city', which is not one of key.dimensions");
        assertThatThrownBy(() -> rank(settings(Map.of("rank.parents",
                List.of(List.of("geo", "ad_id"), List.of("ad_id", "geo"))))))
                .hasMessage("rank.parents lists [ad_id, geo] twice");
        assertThatThrownBy(() -> rank(settings(Map.of("rank.parents", List.of(List.of("geo", "geo"))))))
                .hasMessageContaining("repeats a dimension");
        assertThatThrownBy(() -> rank(settings(Map.of("key.dimensions", List.of("geo"),
                "rank.parents", List.of(List.of("geo"))))))
                .hasMessageContaining("keeps every key dimension");
        assertThatThrownBy(() -> rank(settings(Map.of("rank.parents", List.of("geo")))))
                .hasMessageContaining("must be a list of lists of names");
        // the global segment is appended when missing, and the reader falls back along the same list
        assertThat(reader(settings(Map.of("rank.parents", List.of(List.of("ad_id"))))).parentSegments())
                .containsExactly(List.of("ad_id"), List.of());
    }
}
