package adrank.loaders.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdrankConfigTest {

    @Test
    void pathsDerivedFromVarDirFollowItsOverride() {
        AdrankConfig config = AdrankConfig.load("local", Map.of("home", "/tmp/h", "var-dir", "/data/bench"));
        assertThat(config.input().path()).isEqualTo("/data/bench/data");
        assertThat(config.input().quarantineDir()).isEqualTo("/data/bench/quarantine");
        assertThat(config.local().hbaseDir()).isEqualTo(Path.of("/data/bench/hbase"));
        assertThat(config.logDir()).isEqualTo(Path.of("/data/bench/log"));
    }

    @Test
    void everySchemaButTheDefaultKeepsItsQuarantineInItsOwnDirectory() {
        AdrankConfig scheduled = AdrankConfig.load("local", Map.of("home", "/tmp/h", "var-dir", "/data/bench"));
        assertThat(scheduled.schema()).isEqualTo(AdrankConfig.DEFAULT_SCHEMA);
        assertThat(scheduled.input().quarantineDir()).isEqualTo("/data/bench/quarantine");
        // --schema S (every command sets "schema"), a schema from the env file, or withSchema: one rule
        AdrankConfig other = AdrankConfig.load("local", Map.of("home", "/tmp/h", "var-dir", "/data/bench",
                "schema", "nov_k300"));
        assertThat(other.input().quarantineDir()).isEqualTo("/data/bench/quarantine/schema=nov_k300");
        assertThat(scheduled.withSchema("nov_k300").input().quarantineDir())
                .isEqualTo("/data/bench/quarantine/schema=nov_k300");
        assertThat(other.withSchema("default").input().quarantineDir()).isEqualTo("/data/bench/quarantine");
        assertThat(other.with("input.quarantine-dir", "hdfs:///q").input().quarantineDir())
                .isEqualTo("hdfs:///q/schema=nov_k300");
    }

    @Test
    void relativePathsResolveAgainstHome() {
        AdrankConfig config = AdrankConfig.load("local", Map.of("home", "/tmp/h"));
        assertThat(config.input().path()).isEqualTo("/tmp/h/var/data");
        assertThat(config.namespace()).isEqualTo("adrank_default");
    }

    @Test
    void badValuesNameTheKeyAndTheirOrigin() {
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("input.max-bad-fraction", "3")))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("input.max-bad-fraction = 3.0")
                .hasMessageContaining("-D override")
                .hasMessageContaining("must be in [0.0, 1.0]");
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("input.table", "t; DROP TABLE x")))
                .hasMessageContaining("input.table").hasMessageContaining("identifier");
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("key.dimensions", "[ad_id, price]")))
                .hasMessageContaining("'price' is not a descriptive column");
        assertThatThrownBy(() -> AdrankConfig.load("nowhere.conf", Map.of()))
                .hasMessageContaining("--env nowhere.conf");
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("schema", "Bad-Schema")))
                .hasMessageContaining("schema = \"Bad-Schema\"");
    }

    @Test
    void generatorRealismDefaultsAndOverrides() {
        GenerateConfig defaults = AdrankConfig.load("local", Map.of()).generate();
        assertThat(defaults.cpaShare()).isEqualTo(0.3);
        assertThat(defaults.viewThroughShare()).isEqualTo(0.1);
        assertThat(defaults.clickLagMedian()).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.conversionLagMedian()).isEqualTo(Duration.ofHours(3));

        GenerateConfig tidy = AdrankConfig.load("local", Map.of("generate.cpa-share", "0",
                "generate.view-through-share", "0", "generate.click-lag-median", "0", "generate.conversion-lag-median", "0"))
                .generate();
        assertThat(tidy.cpaShare()).isZero();
        assertThat(tidy.conversionLagMedian()).isZero();
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("generate.conversion-lag-median", "3d")))
                .hasMessageContaining("generate.conversion-lag-median").hasMessageContaining("must be in [0, 48h]");
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("generate.cpa-share", "0.7")))
                .hasMessageContaining("generate.cpa-share").hasMessageContaining("must be in [0.0, 0.6]");
    }

    @Test
    void prodTemplateLoads() {
        AdrankConfig config = AdrankConfig.load("prod", Map.of());
        assertThat(config.metastore().uri()).startsWith("thrift://");
        assertThat(config.hbase().zookeeperPort()).isEqualTo(2181);
        assertThat(config.spark().master()).isEmpty();
    }
}
