package adrank.loaders.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Typed, validated reads from a {@link Config}: every failure names the key and its origin, so a
 * bad setting is reported as "input.max-bad-fraction (from prod.conf: 3) must be in [0, 1]"
 * rather than as a stack trace.
 */
final class Settings {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Config config;
    private final Path home;

    Settings(Config config, Path home) {
        this.config = config;
        this.home = home;
    }

    private String origin(String key) {
        try {
            return config.getValue(key).origin().description();
        } catch (ConfigException e) {
            return "unknown origin";
        }
    }

    private ConfigError invalid(String key, Object value, String rule) {
        return new ConfigError(key + " = " + value + " (" + origin(key) + ") " + rule);
    }

    String string(String key) {
        try {
            return config.getString(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    String nonEmpty(String key) {
        String value = string(key);
        if (value.isBlank()) {
            throw invalid(key, "\"\"", "must not be empty");
        }
        return value;
    }

    String identifier(String key) {
        String value = string(key);
        if (!IDENTIFIER.matcher(value).matches()) {
            throw invalid(key, "\"" + value + "\"", "must be an identifier ([A-Za-z_][A-Za-z0-9_]*, at most 64 chars)");
        }
        return value;
    }

    String oneOf(String key, String... allowed) {
        String value = string(key);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw invalid(key, "\"" + value + "\"", "must be one of " + String.join(", ", allowed));
    }

    boolean bool(String key) {
        try {
            return config.getBoolean(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    long longIn(String key, long min, long max) {
        long value;
        try {
            value = config.getLong(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        if (value < min || value > max) {
            throw invalid(key, value, "must be in [" + min + ", " + max + "]");
        }
        return value;
    }

    int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max);
    }

    double doubleIn(String key, double min, double max) {
        double value;
        try {
            value = config.getDouble(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        if (!(value >= min && value <= max)) {
            throw invalid(key, value, "must be in [" + min + ", " + max + "]");
        }
        return value;
    }

    List<String> stringList(String key) {
        try {
            return config.getStringList(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }

    /** A list of string lists such as {@code [[a, b], [a], []]}. */
    List<List<String>> stringLists(String key) {
        List<List<String>> result = new ArrayList<>();
        try {
            for (Object item : config.getList(key).unwrapped()) {
                if (!(item instanceof List<?> inner)) {
                    throw invalid(key, config.getValue(key).render(), "must be a list of lists of names");
                }
                List<String> names = new ArrayList<>();
                for (Object name : inner) {
                    if (!(name instanceof String text)) {
                        throw invalid(key, config.getValue(key).render(), "must be a list of lists of names");
                    }
                    names.add(text);
                }
                result.add(List.copyOf(names));
            }
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return result;
    }

    /** A HOCON duration ({@code 500ms}, {@code 10s}, {@code 1h}) within bounds. */
    Duration duration(String key, Duration min, Duration max) {
        Duration value;
        try {
            value = config.getDuration(key);
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw invalid(key, config.getValue(key).render(), "must be in [" + hocon(min) + ", " + hocon(max) + "]");
        }
        return value;
    }

    /** A duration the way HOCON writes it (1h, 10s, 250ms). */
    private static String hocon(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A flat map of a pass-through object such as {@code spark.conf} (quoted dotted keys allowed). */
    Map<String, String> passThrough(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, ConfigValue> entry : config.getConfig(key).entrySet()) {
                String name = String.join(".", com.typesafe.config.ConfigUtil.splitPath(entry.getKey()));
                result.put(name, String.valueOf(entry.getValue().unwrapped()));
            }
        } catch (ConfigException e) {
            throw new ConfigError(e.getMessage(), e);
        }
        return result;
    }

    /**
     * A file system location: URIs (hdfs://, s3a://, file:/...) are kept; plain paths are resolved
     * against {@code home} and made absolute.
     */
    String location(String key) {
        String value = nonEmpty(key);
        if (value.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return value;
        }
        return home.resolve(value).toAbsolutePath().normalize().toString();
    }

    Path localPath(String key) {
        String value = nonEmpty(key);
        if (value.startsWith("file:")) {
            return Path.of(java.net.URI.create(value));
        }
        return home.resolve(value).toAbsolutePath().normalize();
    }
}
