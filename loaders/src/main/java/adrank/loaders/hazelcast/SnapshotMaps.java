package adrank.loaders.hazelcast;

import adrank.udfs.key.ParentKeys;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the Hazelcast maps: {@code rank.versions} (control records, key = schema),
 * {@code rank.<schema>.v<N>} (snapshot N, key = encoded impression key) and
 * {@code rank.<schema>.parents.v<N>} (its parent averages, key = {@link ParentKeys}).
 */
public final class SnapshotMaps {

    /** The control map: schema → {@link VersionControl}. */
    public static final String CONTROL = "rank.versions";

    private static final Pattern VERSIONED = Pattern.compile("rank\\.([a-z][a-z0-9_]*)\\.(?:parents\\.)?v(\\d{1,9})");

    private SnapshotMaps() {
    }

    public static String entries(String schema, int version) {
        return "rank." + schema + ".v" + version;
    }

    public static String parents(String schema, int version) {
        return "rank." + schema + ".parents.v" + version;
    }

    /** The version of one of {@code schema}'s snapshot maps, or empty for any other name. */
    static OptionalInt versionOf(String schema, String mapName) {
        Matcher m = VERSIONED.matcher(mapName);
        if (m.matches() && m.group(1).equals(schema)) {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.empty();
    }

    /**
     * Maps of {@code schema} among {@code existing} whose version is not {@code kept}: leftovers of
     * killed or failed publishes, of dropped versions whose destroy did not finish, or maps a
     * reader re-created by reading a version just after it was destroyed.
     */
    static List<String> orphans(String schema, Collection<String> existing, IntPredicate kept) {
        List<String> orphans = new ArrayList<>();
        for (String name : existing) {
            OptionalInt version = versionOf(schema, name);
            if (version.isPresent() && !kept.test(version.getAsInt())) {
                orphans.add(name);
            }
        }
        orphans.sort(null);
        return orphans;
    }
}
