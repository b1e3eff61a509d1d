package adrank.loaders.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrestoSettingsTest {

    @TempDir
    Path home;

    private AdrankConfig load(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.put("home", home.toString());
        return AdrankConfig.load("local", all);
    }

    @Test
    void defaults() {
        PrestoConfig presto = load(Map.of()).presto();
        assertThat(presto.inputEngine()).isEqualTo("spark");
        assertThat(presto.readsThroughPresto()).isFalse();
        assertThat(presto.etl()).isEqualTo(new PrestoConfig.Etl("spark", "t_raw_events", "t_bin_events",
                "t_agg_key_hourly"));
        assertThat(presto.url()).isEqualTo("jdbc:presto://127.0.0.1:18080");
        assertThat(presto.catalog()).isEqualTo("hive");
        assertThat(presto.schema()).isEqualTo("adrank"); // input.database
        assertThat(presto.table()).isEqualTo("t_agg_key_hourly");
        assertThat(presto.retryWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(presto.password()).isEmpty();
        assertThat(presto.local().metastoreDir()).isEqualTo(home.resolve("var/warehouse"));
        assertThat(presto.local().dataDir()).isEqualTo(home.resolve("var/presto"));
        assertThat(presto.local().installDir()).isEqualTo(Path.of(System.getProperty("user.home"), ".cache/adrank"));
    }

    @Test
    void schemaFollowsTheInputDatabaseUnlessSet() {
        assertThat(load(Map.of("input.database", "logs")).presto().schema()).isEqualTo("logs");
        assertThat(load(Map.of("input.database", "logs", "presto.schema", "wh")).presto().schema()).isEqualTo("wh");
    }

    @Test
    void namesThatWouldReachSqlMustBeIdentifiers() {
        for (String key : new String[] {"presto.catalog", "presto.schema", "presto.table", "etl.raw-table",
            "etl.bin-table", "etl.agg-table"}) {
            for (String value : new String[] {"a;b", "a'b", "a\"b", "a b", "a.b", "a-b", "", "x".repeat(65)}) {
                if (value.isEmpty() && key.equals("presto.schema")) {
                    continue; // "" means input.database
                }
                assertThatThrownBy(() -> load(Map.of(key, value))).as("%s = %s", key, value)
                        .isInstanceOf(ConfigError.class).hasMessageStartingWith(key);
            }
        }
        // whoever builds the record: the constructor checks again
        PrestoConfig ok = load(Map.of()).presto();
        assertThatThrownBy(() -> new PrestoConfig(ok.inputEngine(), ok.etl(), ok.url(), ok.user(), ok.ssl(), "", "",
                "hive", "s", "t; DROP TABLE x", 1, 0, Duration.ZERO, Duration.ofSeconds(1), ok.local()))
                .isInstanceOf(ConfigError.class).hasMessageContaining("presto.table");
        assertThatThrownBy(() -> new PrestoConfig.Etl("spark", "raw", "bin", "agg'")).isInstanceOf(ConfigError.class);
    }

    @Test
    void enginesUrlAndPasswordsAreChecked() {
        assertThatThrownBy(() -> load(Map.of("input.engine", "hive"))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("input.engine");
        assertThatThrownBy(() -> load(Map.of("etl.engine", "trino"))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("etl.engine");
        assertThatThrownBy(() -> load(Map.of("presto.url", "jdbc:presto://h:1/x;drop"))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("presto.url");
        assertThatThrownBy(() -> load(Map.of("presto.url", "http://h:8080"))).isInstanceOf(ConfigError.class);
        assertThatThrownBy(() -> load(Map.of("presto.password-env", "ADRANK_SURELY_UNSET_VARIABLE", "presto.ssl", "true")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("is not set");
        assertThatThrownBy(() -> load(Map.of("presto.password-env", "PATH"))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("presto.ssl = true");
    }

    @Test
    void passwordComesFromTheFileAndNeverFromConfig() throws Exception {
        Path secret = Files.writeString(home.resolve("secret"), "s3cr3t\n");
        PrestoConfig presto = load(Map.of("presto.password-file", secret.toString(), "presto.ssl", "true")).presto();
        assertThat(presto.password()).contains("s3cr3t");
        assertThat(presto.toString()).doesNotContain("s3cr3t");
        assertThat(adrank.loaders.presto.PrestoJdbc.of(presto).toString()).doesNotContain("s3cr3t")
                .contains("password set");
    }
}
