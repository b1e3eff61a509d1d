package adrank.loaders.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The engines ({@code input.engine}, {@code etl.*}, {@code presto.*}): which engine reads the hour,
 * what {@code rank etl} writes, and how to reach Presto.
 *
 * <p>Every name that ends up in SQL (catalog, schema, tables) must match {@link #IDENTIFIER};
 * the compact constructor enforces it, so no instance can carry a quote, a semicolon or a space
 * into a query, whoever builds it. The password is not part of the record: only where to find
 * it (an environment variable or a file), read when a connection is opened and never logged.
 *
 * @param inputEngine    spark | presto: who reads the hour for {@code hourly}
 * @param etl            tables and default engine of {@code rank etl}
 * @param url            JDBC URL of the coordinator ({@code jdbc:presto://host:port})
 * @param user           user the queries run as
 * @param ssl            HTTPS to the coordinator
 * @param passwordEnv    environment variable holding the password, or ""
 * @param passwordFile   file whose first line is the password, or ""
 * @param catalog        Hive connector catalog
 * @param schema         schema (Hive database) of the tables
 * @param table          per-key aggregate table {@code hourly} reads through Presto
 * @param readPartitions parallel reads (Spark tasks) of one hour
 * @param connectRetries connection attempts after the first before a run fails
 * @param retryWait      pause between connection attempts
 * @param queryTimeout   longest run time of one query
 * @param local          the local server of {@code rank local up --with-presto} and the tests
 */
public record PrestoConfig(String inputEngine, Etl etl, String url, String user, boolean ssl, String passwordEnv,
        String passwordFile, String catalog, String schema, String table, int readPartitions, int connectRetries,
        Duration retryWait, Duration queryTimeout, Local local) {

    /** Names allowed in SQL: letters, digits, underscores; at most 64 characters. */
    public static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private static final Pattern URL = Pattern.compile("jdbc:presto://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?(/[A-Za-z0-9_/]*)?");

    /**
     * {@code rank etl}.
     *
     * @param engine   default engine (spark | presto)
     * @param rawTable gzip text table read
     * @param binTable ORC table written
     * @param aggTable per-key aggregate table written
     */
    public record Etl(String engine, String rawTable, String binTable, String aggTable) {
        public Etl {
            engine = checkEngine(engine, "etl.engine");
            identifier("etl.raw-table", rawTable);
            identifier("etl.bin-table", binTable);
            identifier("etl.agg-table", aggTable);
        }
    }

    /**
     * The local server.
     *
     * @param port         HTTP port on 127.0.0.1 (0 = any free one)
     * @param installDir   where the distribution is unpacked
     * @param dataDir      etc/, data and log of the server
     * @param metastoreDir catalog directory of the file metastore
     * @param heap         -Xmx of the server
     * @param startTimeout how long to wait for it to answer
     */
    public record Local(int port, Path installDir, Path dataDir, Path metastoreDir, String heap,
            Duration startTimeout) {
        public Local {
            if (!heap.matches("[1-9][0-9]*[mMgG]")) {
                throw new ConfigError("presto.local.heap = \"" + heap + "\" must be like 1G or 768M");
            }
        }
    }

    public PrestoConfig {
        inputEngine = checkEngine(inputEngine, "input.engine");
        identifier("presto.catalog", catalog);
        identifier("presto.schema", schema);
        identifier("presto.table", table);
        if (!URL.matcher(url).matches()) {
            throw new ConfigError("presto.url = \"" + url + "\" must be jdbc:presto://host:port");
        }
        if (user.isBlank() || !user.matches("[A-Za-z0-9_.@-]{1,128}")) {
            throw new ConfigError("presto.user = \"" + user + "\" must be a plain user name");
        }
        if (readPartitions < 1 || connectRetries < 0) {
            throw new ConfigError("presto.read-partitions must be >= 1 and presto.connect-retries >= 0");
        }
        if (!passwordEnv.isEmpty() && !passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new ConfigError("presto.password-env = \"" + passwordEnv + "\" must name an environment variable");
        }
        if ((!passwordEnv.isEmpty() || !passwordFile.isEmpty()) && !ssl) {
            throw new ConfigError("presto.password-env / presto.password-file need presto.ssl = true "
                    + "(Presto only accepts a password over HTTPS)");
        }
    }

    static PrestoConfig from(Settings s) {
        // names put in SQL: Settings.identifier names the key, the value and its origin
        String schema = s.string("presto.schema").isEmpty() ? s.identifier("input.database")
                : s.identifier("presto.schema");
        String passwordEnv = s.string("presto.password-env");
        if (!passwordEnv.isEmpty() && passwordEnv.matches("[A-Za-z_][A-Za-z0-9_]*") && System.getenv(passwordEnv) == null) {
            throw new ConfigError("presto.password-env = \"" + passwordEnv + "\": that environment variable is not set");
        }
        String passwordFile = s.string("presto.password-file");
        if (!passwordFile.isEmpty()) {
            Path file = s.localPath("presto.password-file");
            if (!Files.isReadable(file)) {
                throw new ConfigError("presto.password-file = \"" + passwordFile + "\": " + file + " is not readable");
            }
            passwordFile = file.toString();
        }
        String metastore = s.string("presto.local.metastore-dir");
        Local local = new Local(
                s.intIn("presto.local.port", 0, 65535),
                s.localPath("presto.local.install-dir"),
                s.localPath("presto.local.data-dir"),
                metastore.isEmpty() ? localWarehouse(s) : s.localPath("presto.local.metastore-dir"),
                s.nonEmpty("presto.local.heap"),
                s.duration("presto.local.start-timeout", Duration.ofSeconds(10), Duration.ofHours(1)));
        return new PrestoConfig(
                s.string("input.engine"),
                new Etl(s.string("etl.engine"), s.identifier("etl.raw-table"), s.identifier("etl.bin-table"),
                        s.identifier("etl.agg-table")),
                s.string("presto.url").isEmpty() ? "jdbc:presto://127.0.0.1:" + local.port() : s.string("presto.url"),
                s.nonEmpty("presto.user"),
                s.bool("presto.ssl"),
                passwordEnv,
                passwordFile,
                s.identifier("presto.catalog"),
                schema,
                s.identifier("presto.table"),
                s.intIn("presto.read-partitions", 1, 10_000),
                s.intIn("presto.connect-retries", 0, 100),
                s.duration("presto.retry-wait", Duration.ZERO, Duration.ofMinutes(10)),
                s.duration("presto.query-timeout", Duration.ofSeconds(1), Duration.ofDays(2)),
                local);
    }

    /** The warehouse directory when it is local (the file metastore needs a local directory). */
    private static Path localWarehouse(Settings s) {
        String warehouse = s.location("metastore.warehouse-dir");
        if (warehouse.startsWith("file:")) {
            return Path.of(java.net.URI.create(warehouse));
        }
        if (warehouse.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            // not local (hdfs://...): only the local server uses this, keep it under var/
            return s.localPath("var-dir").resolve("presto/metastore");
        }
        return Path.of(warehouse);
    }

    /** True when {@code hourly} reads through Presto. */
    public boolean readsThroughPresto() {
        return "presto".equals(inputEngine);
    }

    /** The password, read now from the environment variable or the file; empty when none is configured. */
    public Optional<String> password() {
        if (!passwordEnv.isEmpty()) {
            String value = System.getenv(passwordEnv);
            if (value == null) {
                throw new ConfigError("presto.password-env names " + passwordEnv + ", which is not set");
            }
            return Optional.of(value);
        }
        if (!passwordFile.isEmpty()) {
            try {
                List<String> lines = Files.readAllLines(Path.of(passwordFile), StandardCharsets.UTF_8);
                return Optional.of(lines.isEmpty() ? "" : lines.get(0).strip());
            } catch (IOException e) {
                throw new ConfigError("presto.password-file: cannot read " + passwordFile + ": " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** The same settings pointing at another coordinator (tests, the local server on a free port). */
    public PrestoConfig withUrl(String newUrl) {
        return new PrestoConfig(inputEngine, etl, newUrl, user, ssl, passwordEnv, passwordFile, catalog, schema, table,
                readPartitions, connectRetries, retryWait, queryTimeout, local);
    }

    /** Checks a name that will be put in SQL (quoted); the error names the setting. */
    public static String identifier(String key, String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new ConfigError(key + " = \"" + name + "\" is not allowed: names put in SQL must match "
                    + IDENTIFIER.pattern() + " (no quotes, semicolons, spaces or dots); nothing was sent to Presto");
        }
        return name;
    }

    private static String checkEngine(String value, String key) {
        if (!"spark".equals(value) && !"presto".equals(value)) {
            throw new ConfigError(key + " = \"" + value + "\" must be one of spark, presto");
        }
        return value;
    }
}
