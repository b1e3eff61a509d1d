package adrank.loaders.hazelcast;

import adrank.udfs.key.ParentKeys;
import adrank.loaders.config.HazelcastConfig;
import java.util.List;

/**
 * A publish in progress: version {@code version} of {@code schema} is LOADING. Load its maps
 * with the loaders, then {@link SnapshotPublisher#commit} it (or {@link SnapshotPublisher#fail}
 * it). If the process dies instead, the next {@link SnapshotPublisher#begin} cleans it up.
 *
 * @param schema          the schema
 * @param version         the allocated version N
 * @param batchSize       entries per {@code setAll} of the loaders
 * @param change          what {@code begin} did to the control record
 * @param destroyedMaps   maps of earlier killed or failed publishes that {@code begin} destroyed
 * @param fallback        the fallback rule recorded with the version
 */
public record Publication(String schema, int version, int batchSize, Change change, List<String> destroyedMaps,
        FallbackRule fallback) {

    public Publication {
        destroyedMaps = List.copyOf(destroyedMaps);
    }

    public String entriesMap() {
        return SnapshotMaps.entries(schema, version);
    }

    public String parentsMap() {
        return SnapshotMaps.parents(schema, version);
    }

    /** A loader of the snapshot entries (key = encoded impression key). */
    public SnapshotLoader entriesLoader(HazelcastConfig hazelcast) {
        return new SnapshotLoader(hazelcast, entriesMap(), batchSize);
    }

    /** A loader of the parent averages (key = {@link ParentKeys}). */
    public SnapshotLoader parentsLoader(HazelcastConfig hazelcast) {
        return new SnapshotLoader(hazelcast, parentsMap(), batchSize);
    }
}
