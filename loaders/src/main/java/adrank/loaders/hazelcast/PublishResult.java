package adrank.loaders.hazelcast;

import java.util.List;

/**
 * A committed publish.
 *
 * @param schema        the schema
 * @param version       the version now active
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
}
