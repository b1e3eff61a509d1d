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
 * or two Spark contexts in one JVM, never share a map. Copies made by {@link #withShrinkage} share
 * the unpacked models of their blobs (deriving them is the cost) and add only their τ².
 */
public final class ParentModels implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Object LOCK = new Object();
    private static String unpackedId;
    private static Map<String, ParentModel> unpacked;
    /** The models of the blobs alone (no τ²), shared by the copies of one stage. */
    private static String baseId;
    private static Map<String, ParentModel> base;

    private final String id = UUID.randomUUID().toString();
    private final String blobsId;
    private final List<byte[]> blobs;
    private final RankSettings settings;
    private final HashMap<String, NoiseModel> noise;
    private final HashMap<String, Double> betweenKeyVariance;
    private final HashMap<String, Double> levelSpread;

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
        this(UUID.randomUUID().toString(), blobs, settings, noise, betweenKeyVariance, Map.of());
    }

    private ParentModels(String blobsId, List<byte[]> blobs, RankSettings settings, Map<String, NoiseModel> noise,
            Map<String, Double> betweenKeyVariance, Map<String, Double> levelSpread) {
        this.blobsId = blobsId;
        this.blobs = List.copyOf(blobs);
        this.settings = settings;
        this.noise = new HashMap<>(noise);
        this.betweenKeyVariance = new HashMap<>(betweenKeyVariance);
        this.levelSpread = new HashMap<>(levelSpread);
    }

    /** The same parents with the empirical-Bayes parts added. */
    public ParentModels withShrinkage(Map<String, NoiseModel> noise, Map<String, Double> betweenKeyVariance) {
        return withShrinkage(noise, betweenKeyVariance, Map.of());
    }

    /**
     * The same parents with the empirical-Bayes parts added, and the pooled relative spread of every
     * level ({@link adrank.udfs.result.RelativeSpread}) for the parents whose τ² is derived where their keys
     * are (by ad).
     */
    public ParentModels withShrinkage(Map<String, NoiseModel> noise, Map<String, Double> betweenKeyVariance,
            Map<String, Double> levelSpread) {
        return new ParentModels(blobsId, blobs, settings, noise, betweenKeyVariance, levelSpread);
    }

    /** Level → pooled ρ² ({@link adrank.udfs.result.PriorTerms#level}); empty on the broadcast path. */
    public Map<String, Double> levelSpread() {
        return levelSpread;
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
                if (!blobsId.equals(baseId)) {
                    base = null;
                    Map<String, ParentModel> models = new HashMap<>();
                    for (byte[] blob : blobs) {
                        SegmentSumsBlob.unpackModels(blob, settings, models);
                    }
                    base = models;
                    baseId = blobsId;
                }
                Map<String, ParentModel> models = base;
                if (!betweenKeyVariance.isEmpty()) {
                    Map<String, ParentModel> withTau2 = new HashMap<>(base);
                    betweenKeyVariance.forEach((key, tau2) -> withTau2.computeIfPresent(key,
                            (k, model) -> model.withBetweenKeyVariance(tau2)));
                    models = withTau2;
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

    /** Drops this JVM's unpacked maps of these blobs (the driver calls it when the stage ends). */
    public void release() {
        synchronized (LOCK) {
            if (id.equals(unpackedId)) {
                unpacked = null;
                unpackedId = null;
            }
            if (blobsId.equals(baseId)) {
                base = null;
                baseId = null;
            }
        }
    }
}
