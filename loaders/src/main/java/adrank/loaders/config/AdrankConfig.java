package adrank.loaders.config;

import adrank.udfs.stats.Limits;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The whole validated configuration: one typed record per component, built once at start so a
 * bad setting fails before any work is done.
 *
 * <p>Layers, lowest first: {@code reference.conf} → the env file ({@code local}, {@code prod}
 * or a path) → overrides ({@code -Dkey=value}) → JVM system properties. A key of the env file or
 * of an override that {@code reference.conf} does not define is refused ({@link KnownSettings});
 * system properties are not checked (most are not adrank's).
 */
public record AdrankConfig(String env, Path home, Path varDir, String schema, InputConfig input, KeyConfig key,
        Limits limits, RankConfig rank, HBaseConfig hbase, SparkConfig spark, MetastoreConfig metastore, LocalConfig local,
        GenerateConfig generate, HazelcastConfig hazelcast, PublishConfig publish, ReaderConfig reader, Path logDir,
        PrestoConfig presto, MetricsConfig metrics, CheckConfig check, Config raw) {

    /** The scheduled schema, the one {@code reference.conf} names. */
    public static final String DEFAULT_SCHEMA = "default";

    private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    /**
     * Loads and validates.
     *
     * @param env       "local", "prod" or a path to a HOCON file
     * @param overrides {@code key -> value} from {@code -D} options (values parsed as HOCON, so
     *                  lists like {@code [a,b]} work)
     */
    public static AdrankConfig load(String env, Map<String, String> overrides) {
        Config envConfig = envFile(env);
        StringBuilder hocon = new StringBuilder();
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            hocon.append(e.getKey()).append(" = ").append(hoconValue(e.getValue())).append('\n');
        }
        Config overrideConfig;
        try {
            overrideConfig = ConfigFactory.parseString(hocon.toString(),
                    ConfigParseOptions.defaults().setOriginDescription("-D override"));
        } catch (ConfigException e) {
            throw new ConfigError("bad -D override: " + e.getMessage(), e);
        }
        // a key reference.conf does not define (a typo) would be silently ignored: refuse it
        Config reference = ConfigFactory.defaultReferenceUnresolved();
        KnownSettings known = new KnownSettings(reference);
        known.check(envConfig, "--env " + env);
        known.check(overrideConfig, "-D override");
        Config merged;
        try {
            // JVM system properties named spark.* are Spark's own settings (spark-submit turns every
            // --conf into one, e.g. spark.ui.enabled), not adrank's spark { } block.
            Config system = ConfigFactory.systemProperties().withoutPath("spark");
            // the reference is resolved only here, with every layer above it, so that e.g.
            // -Dvar-dir=... moves every path derived from ${var-dir}
            merged = system
                    .withFallback(overrideConfig)
                    .withFallback(envConfig)
                    .withFallback(reference)
                    .resolve(ConfigResolveOptions.defaults());
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return from(env, merged);
    }

    /** Validates an already merged config. */
    public static AdrankConfig from(String env, Config merged) {
        Path home = Path.of(merged.getString("home")).toAbsolutePath().normalize();
        Settings s = new Settings(merged, home);
        String schema = s.string("schema");
        if (!SCHEMA.matcher(schema).matches()) {
            throw new ConfigError("schema = \"" + schema + "\" must match [a-z][a-z0-9_]{0,31}");
        }
        Limits limits;
        int maxDays = s.intIn("limits.max-days", 1, 100_000);
        long maxImpressions = s.longIn("limits.max-impressions", 1, Long.MAX_VALUE);
        limits = new Limits(maxDays, maxImpressions);
        KeyConfig key = KeyConfig.from(s);
        RankConfig rank = RankConfig.from(s, key);
        return new AdrankConfig(env, home, s.localPath("var-dir"), schema, InputConfig.from(s, schema), key,
                limits, rank, HBaseConfig.from(s), SparkConfig.from(s), MetastoreConfig.from(s), LocalConfig.from(s),
                GenerateConfig.from(s), HazelcastConfig.from(s), PublishConfig.from(s), ReaderConfig.from(s, rank),
                s.localPath("log.dir"), PrestoConfig.from(s), MetricsConfig.from(s), CheckConfig.from(s), merged);
    }

    /** This configuration with another schema (backfills, tests). */
    public AdrankConfig withSchema(String newSchema) {
        if (!SCHEMA.matcher(newSchema).matches()) {
            throw new ConfigError("schema \"" + newSchema + "\" must match [a-z][a-z0-9_]{0,31}");
        }
        return from(env, ConfigFactory.parseMap(Map.of("schema", newSchema)).withFallback(raw));
    }

    /** This configuration with one more setting (a path expression), validated again. */
    public AdrankConfig with(String key, Object value) {
        return from(env, ConfigFactory.parseMap(Map.of(key, value), "override of " + key).withFallback(raw));
    }

    /** The HBase namespace of this schema. */
    public String namespace() {
        return hbase.namespace(schema);
    }

    private static Config envFile(String env) {
        ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
        try {
            if (env.equals("local") || env.equals("prod")) {
                return ConfigFactory.parseResources("adrank/env/" + env + ".conf", options);
            }
            Path file = Path.of(env);
            if (!Files.isRegularFile(file)) {
                throw new ConfigError("--env " + env + ": not 'local', 'prod' or a readable config file");
            }
            return ConfigFactory.parseFile(file.toFile(), options);
        } catch (ConfigException e) {
            throw new ConfigError("--env " + env + ": " + e.getMessage(), e);
        }
    }

    /** Quotes plain strings so that "-Dkey=a b" works; numbers, booleans and lists pass as HOCON. */
    private static String hoconValue(String value) {
        String v = value.trim();
        if (v.startsWith("[") || v.startsWith("{") || v.startsWith("\"") || v.matches("-?\\d+(\\.\\d+)?")
                || v.equals("true") || v.equals("false")) {
            return v;
        }
        return com.typesafe.config.ConfigUtil.quoteString(v);
    }
}
