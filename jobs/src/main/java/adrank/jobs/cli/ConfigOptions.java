package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command takes: the environment, the schema and setting overrides. */
public final class ConfigOptions {

    @Option(names = "--env", defaultValue = "local", paramLabel = "local|prod|FILE",
            description = "Environment: 'local' (embedded stack), 'prod', or a HOCON file layered over the defaults "
                    + "(default: ${DEFAULT-VALUE}).")
    String env;

    @Option(names = "--schema", paramLabel = "NAME",
            description = "Logical schema (HBase namespace <prefix>_<schema>); overrides the 'schema' setting.")
    String schema;

    @Option(names = "-D", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one setting, e.g. -Dinput.max-bad-fraction=0.05 (repeatable). A key reference.conf "
                    + "does not define is refused, except under spark.conf and hbase.extra.")
    Map<String, String> overrides = new LinkedHashMap<>();

    private AdrankConfig loaded;

    /** The validated configuration (loaded once). */
    public AdrankConfig config() {
        if (loaded == null) {
            Map<String, String> all = new LinkedHashMap<>(overrides);
            if (schema != null) {
                all.put("schema", schema);
            }
            loaded = AdrankConfig.load(env, all);
        }
        return loaded;
    }
}
