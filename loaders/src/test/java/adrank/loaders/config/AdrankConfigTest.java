package adrank.loaders.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aTypoedOverrideIsRefusedWithTheClosestKnownSetting() {
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("input.max-bad-fractoin", "0.5")))
                .isInstanceOf(ConfigError.class)
                .hasMessage("unknown setting 'input.max-bad-fractoin' (-D override); "
                        + "did you mean 'input.max-bad-fraction'?");
        // a missing block: the one setting of that name
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("max-bad-fraction", "0.5")))
                .hasMessageContaining("unknown setting 'max-bad-fraction'")
                .hasMessageContaining("did you mean 'input.max-bad-fraction'?");
        // nothing close: no guess, but where the settings are
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("colour", "blue")))
                .hasMessage("unknown setting 'colour' (-D override) (reference.conf lists every setting; "
                        + "hbase.extra and spark.conf take any key)");
        // a key below a setting is no setting either
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("input.table.x", "1")))
                .hasMessageContaining("unknown setting 'input.table.x'").hasMessageContaining("'input.table'");
    }

    @Test
    void knownSettingsOpenBlocksAndListElementsPass() {
        AdrankConfig config = AdrankConfig.load("local", Map.of("input.max-bad-fraction", "0.5",
                "spark.conf.\"spark.executor.memory\"", "4g", "spark.conf.spark.sql.adaptive.enabled", "false",
                "hbase.extra.\"hbase.rpc.timeout\"", "60000", "hazelcast.members.0", "10.0.0.1:5701",
                "rank.parents", "[[ad_id, geo], []]"));
        assertThat(config.input().maxBadFraction()).isEqualTo(0.5);
        assertThat(config.spark().conf()).containsEntry("spark.executor.memory", "4g")
                .containsEntry("spark.sql.adaptive.enabled", "false");
        assertThat(config.hbase().extra()).containsEntry("hbase.rpc.timeout", "60000");
        assertThat(config.hazelcast().members()).containsExactly("10.0.0.1:5701");
        assertThat(AdrankConfig.load("local", Map.of("spark.conf", "{ \"spark.ui.port\" = 4041 }")).spark().conf())
                .containsEntry("spark.ui.port", "4041");
    }

    @Test
    void anEnvFileWithAnUnknownKeyIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path env = dir.resolve("staging.conf");
        Files.writeString(env, "input {\n  table = \"t_raw_events\"\n  max-bad-fractoin = 0.5\n}\n"
                + "spark.conf { \"spark.executor.cores\" = 2 }\n");
        assertThatThrownBy(() -> AdrankConfig.load(env.toString(), Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessage("unknown setting 'input.max-bad-fractoin' (--env " + env + " line 3); "
                        + "did you mean 'input.max-bad-fraction'?");
        Files.writeString(env, "input.max-bad-fraction = 0.2\nspark.conf { \"spark.executor.cores\" = 2 }\n");
        AdrankConfig config = AdrankConfig.load(env.toString(), Map.of());
        assertThat(config.input().maxBadFraction()).isEqualTo(0.2);
        assertThat(config.spark().conf()).containsEntry("spark.executor.cores", "2");
    }

    @Test
    void systemPropertiesAreNotCheckedOnlyOverridesAndEnvFiles() {
        System.setProperty("some.library.setting", "1");
        try {
            assertThat(AdrankConfig.load("local", Map.of()).schema()).isEqualTo("default");
        } finally {
            System.clearProperty("some.library.setting");
        }
    }

    @Test
    void prodTemplateLoads() {
        AdrankConfig config = AdrankConfig.load("prod", Map.of());
        assertThat(config.metastore().uri()).startsWith("thrift://");
        assertThat(config.hbase().zookeeperPort()).isEqualTo(2181);
        assertThat(config.spark().master()).isEmpty();
    }
}
