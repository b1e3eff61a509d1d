package adrank.loaders.hazelcast;

import java.util.List;

/**
 * A committed publish.
 *
 * @param schema        the schema
 * @param version       the version published (active unless staged or the schema is pinned)
 * @param entries       verified count and checksum of the snapshot map
 * @param parents       verified count and checksum of the parents map
 * @param change        what the commit did to the control record (activation, dropped versions)
 * @param destroyedMaps maps destroyed by retention (and leftovers found on the way)
 * @param verifyMillis  time spent counting and checksumming the loaded maps
 */
public record PublishResult(String schema, int version, LoadResult entries, LoadResult parents, Change change,
        List<String> destroyedMaps, long verifyMillis) {

    public PublishResult {
        destroyedMaps = List.copyOf(destroyedMaps);
    }

    /** Whether the publish made its version active (not when staged or when the schema is pinned). */
    public boolean activated() {
        return change.after().active() == version;
    }

    /** Why the version is not active ("not active: ..."), or "" when it is. */
    public String whyNotActive() {
        return change.after().version(version).map(info -> change.after().whyNotActive(info)).orElse("");
    }
}
