package adrank.loaders.spark;

import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSumsBlob;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The parent segments of one result stage as they travel to the executors: the sums packed by
 * {@link SegmentSumsBlob} (one blob per partition of the aggregation) plus the settings to derive
 * the models. {@link #models()} unpacks them once per JVM and stage (every task of an executor
 * shares the map; in local mode that is the driver's JVM), keyed by a random id so two stages,
 * or two Spark contexts in one JVM, never share a map.
 */
public final class ParentModels implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Object LOCK = new Object();
    private static String unpackedId;
    private static Map<String, ParentModel> unpacked;

    private final String id = UUID.randomUUID().toString();
    private final List<byte[]> blobs;
    private final RankSettings settings;

    public ParentModels(List<byte[]> blobs, RankSettings settings) {
        this.blobs = List.copyOf(blobs);
        this.settings = settings;
    }

    /** Parent key → model, unpacked on first use in this JVM. */
    public Map<String, ParentModel> models() {
        synchronized (LOCK) {
            if (!id.equals(unpackedId)) {
                unpacked = null; // let the previous stage's map go before building this one
                Map<String, ParentModel> models = new HashMap<>();
                for (byte[] blob : blobs) {
                    SegmentSumsBlob.unpackModels(blob, settings, models);
                }
                unpacked = models;
                unpackedId = id;
            }
            return unpacked;
        }
    }

    /** Total bytes shipped. */
    public long bytes() {
        return blobs.stream().mapToLong(b -> b.length).sum();
    }

    /** Drops this JVM's unpacked map (the driver calls it when the stage ends). */
    public void release() {
        synchronized (LOCK) {
            if (id.equals(unpackedId)) {
                unpacked = null;
                unpackedId = null;
            }
        }
    }
}
