package adrank.loaders.spark;

import adrank.udfs.result.NoiseModel;
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
    private final HashMap<String, NoiseModel> noise;
    private final HashMap<String, Double> betweenKeyVariance;

    public ParentModels(List<byte[]> blobs, RankSettings settings) {
        this(blobs, settings, Map.of(), Map.of());
    }

    /**
     * Models with the empirical-Bayes parts of the rank's prior strength.
     *
     * @param noise              noise segment key → its noise model
     * @param betweenKeyVariance parent key → τ² of its keys' true CPMs (segments without one are absent)
     */
    public ParentModels(List<byte[]> blobs, RankSettings settings, Map<String, NoiseModel> noise,
            Map<String, Double> betweenKeyVariance) {
        this.blobs = List.copyOf(blobs);
        this.settings = settings;
        this.noise = new HashMap<>(noise);
        this.betweenKeyVariance = new HashMap<>(betweenKeyVariance);
    }

    /** The same parents with the empirical-Bayes parts added. */
    public ParentModels withShrinkage(Map<String, NoiseModel> noise, Map<String, Double> betweenKeyVariance) {
        return new ParentModels(blobs, settings, noise, betweenKeyVariance);
    }

    /** The noise model of a noise segment key, or null. */
    public NoiseModel noise(String noiseKey) {
        return noise.get(noiseKey);
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
                betweenKeyVariance.forEach((key, tau2) -> models.computeIfPresent(key,
                        (k, model) -> model.withBetweenKeyVariance(tau2)));
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
