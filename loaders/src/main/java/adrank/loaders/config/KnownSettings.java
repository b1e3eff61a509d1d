package adrank.loaders.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * The settings {@code reference.conf} defines, against which the env file and the {@code -D}
 * overrides are checked at start: a key it does not define is a typo (it would otherwise be
 * silently ignored) and is refused with the closest known key.
 *
 * <p>An object that {@code reference.conf} leaves empty ({@code spark.conf {}},
 * {@code hbase.extra {}}) is a map of free keys passed through to a library, so any key under it
 * is allowed. A numeric key under a list setting ({@code hazelcast.members.0}, HOCON's way to set
 * one list element) is allowed too. JVM system properties are not checked: most of them are not
 * adrank's.
 */
final class KnownSettings {

    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    /** Every path of the reference, objects included. */
    private final Set<List<String>> paths = new HashSet<>();
    /** The settings (non-object values): the candidates of a suggestion. */
    private final Set<List<String>> settings = new HashSet<>();
    private final Set<List<String>> lists = new HashSet<>();
    /** Empty objects: maps of free keys. */
    private final Set<List<String>> openBlocks = new HashSet<>();

    KnownSettings(Config reference) {
        walk(reference.root(), List.of(), (path, value) -> {
            paths.add(path);
            if (value instanceof ConfigObject) {
                if (!hasMembers(value)) {
                    openBlocks.add(path);
                }
            } else {
                settings.add(path);
                if (value instanceof ConfigList) {
                    lists.add(path);
                }
            }
        });
    }

    /** The empty objects of the reference, whose keys are free (e.g. {@code spark.conf}). */
    List<String> openBlocks() {
        return openBlocks.stream().map(ConfigUtil::joinPath).sorted().toList();
    }

    /**
     * Fails with every key of {@code layer} that the reference does not define, each with the
     * closest known key when one is close.
     *
     * @param source how the layer was given, for the message ("-D override", "--env FILE")
     */
    void check(Config layer, String source) {
        Map<String, String> unknown = new TreeMap<>();
        walk(layer.root(), List.of(), (path, value) -> {
            if (!hasMembers(value) && !known(path)) {
                unknown.put(ConfigUtil.joinPath(path), where(value.origin(), source));
            }
        });
        if (unknown.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        boolean unmatched = false;
        for (Map.Entry<String, String> e : unknown.entrySet()) {
            String suggestion = closest(e.getKey());
            unmatched |= suggestion == null;
            problems.add("unknown setting '" + e.getKey() + "' (" + e.getValue() + ")"
                    + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
        }
        throw new ConfigError(String.join("; ", problems) + (unmatched ? " (reference.conf lists every setting; "
                + String.join(" and ", openBlocks()) + " take any key)" : ""));
    }

    /** Whether the value is an object with members (checked member by member), not a setting. */
    private static boolean hasMembers(ConfigValue value) {
        if (!(value instanceof ConfigObject object)) {
            return false;
        }
        try {
            return !object.isEmpty();
        } catch (ConfigException.NotResolved e) {
            return false; // merged with a substitution: checked as a whole
        }
    }

    boolean known(List<String> path) {
        for (int i = 1; i <= path.size(); i++) {
            if (openBlocks.contains(path.subList(0, i))) {
                return true;
            }
        }
        if (paths.contains(path)) {
            return true;
        }
        // hazelcast.members.0 = "host:port" sets an element of a list
        int end = path.size();
        while (end > 0 && path.get(end - 1).matches("\\d+")) {
            end--;
        }
        return end < path.size() && lists.contains(path.subList(0, end));
    }

    /**
     * The known setting closest to {@code key}: the smallest edit distance, if at most a third of
     * the key's length (and at least 2); else the one setting with the same last name (a missing
     * block, {@code max-bad-fraction} for {@code input.max-bad-fraction}); else none.
     */
    String closest(String key) {
        int limit = Math.max(2, key.length() / 3);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> sameName = new ArrayList<>();
        List<String> keyPath = split(key);
        String lastName = keyPath.isEmpty() ? key : keyPath.get(keyPath.size() - 1);
        List<String> candidates = settings.stream().map(ConfigUtil::joinPath).sorted(Comparator.naturalOrder())
                .toList();
        for (String candidate : candidates) {
            int distance = DISTANCE.apply(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
            List<String> candidatePath = split(candidate);
            if (candidatePath.get(candidatePath.size() - 1).equals(lastName)) {
                sameName.add(candidate);
            }
        }
        if (best != null && bestDistance <= limit) {
            return best;
        }
        return sameName.size() == 1 ? sameName.get(0) : null;
    }

    private static List<String> split(String key) {
        try {
            return ConfigUtil.splitPath(key);
        } catch (ConfigException e) {
            return List.of(key);
        }
    }

    private static String where(ConfigOrigin origin, String source) {
        if (origin != null && origin.filename() != null) {
            return "--env " + origin.filename() + (origin.lineNumber() > 0 ? " line " + origin.lineNumber() : "");
        }
        return source;
    }

    private interface Visitor {
        void visit(List<String> path, ConfigValue value);
    }

    /** Visits every value under {@code object}, objects before their members. */
    private static void walk(ConfigObject object, List<String> prefix, Visitor visitor) {
        Set<Map.Entry<String, ConfigValue>> entries;
        try {
            entries = object.entrySet();
        } catch (ConfigException.NotResolved e) {
            return; // an object merged with a substitution: checked as a whole where it is visited
        }
        for (Map.Entry<String, ConfigValue> entry : entries) {
            List<String> path = new ArrayList<>(prefix);
            path.add(entry.getKey());
            List<String> fixed = List.copyOf(path);
            visitor.visit(fixed, entry.getValue());
            if (entry.getValue() instanceof ConfigObject child) {
                walk(child, fixed, visitor);
            }
        }
    }
}
