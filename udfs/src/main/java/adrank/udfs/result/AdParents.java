package adrank.udfs.result;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent sums of one run of an ad's keys ({@link KeyRuns}), split into what the run completes
 * on its own and what must be merged across partitions. An ad-scoped segment ({@link ParentLayout})
 * of an ad whose keys all lie in one run (not a {@link KeyRuns.Run#boundary() boundary} run) is
 * complete in the run; every other segment's sums are a partial share.
 */
public final class AdParents {

    private AdParents() {
    }

    /**
     * A key's state with its decoded components, its parent keys (one per segment, in order) and its noise
     * key (null without a noise segment), each worked out once: every pass looks them up.
     */
    public record Keyed(KeyState state, List<String> components, String[] parentKeys, String noiseKey)
            implements Serializable {

        /** Decodes the key's components and derives its parent and noise keys. */
        public static Keyed of(KeyState state, ParentLayout layout) {
            List<String> components = layout.components(state.key());
            String[] parentKeys = new String[layout.segments().size()];
            for (int i = 0; i < parentKeys.length; i++) {
                parentKeys[i] = layout.parentKey(components, i);
            }
            return new Keyed(state, components, parentKeys, layout.noiseKey(components));
        }

        /** The encoded key. */
        public String key() {
            return state.key();
        }

        /** The key's ad (its first component). */
        public String ad() {
            return ParentLayout.ad(components);
        }
    }

    /** The runs of a partition of keys in key order, each key decoded once. */
    public static KeyRuns<Keyed> runs(java.util.Iterator<KeyState> sorted, ParentLayout layout) {
        return KeyRuns.of(new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return sorted.hasNext();
            }

            @Override
            public Keyed next() {
                return Keyed.of(sorted.next(), layout);
            }
        }, Keyed::key, Keyed::ad);
    }

    /**
     * Sums a run: returns the sums of the segments the run completes (the ad-scoped parents of a run
     * that is not a boundary run; empty for a boundary run) and adds every other share to
     * {@code partials} — the parents of segments of many ads, all of a boundary run's parents, and the
     * noise sums unless the run completes its noise segment (then they are left to
     * {@link AdModels#of}: the noise model is needed only where the keys' results are computed).
     */
    public static Map<String, SegmentSums> sum(KeyRuns.Run<Keyed> run, ParentLayout layout,
            Map<String, PartialSums> partials) {
        Map<String, SegmentSums> complete = new HashMap<>();
        boolean whole = !run.boundary();
        int levels = layout.segments().size();
        for (Keyed key : run.items()) {
            SegmentSums contribution = SegmentSums.of(key.state().rankCounters());
            for (int i = 0; i < levels; i++) {
                String parentKey = key.parentKeys()[i];
                if (whole && layout.adScoped(i)) {
                    complete.merge(parentKey, contribution, SegmentSums::plus);
                } else {
                    partials.merge(parentKey, PartialSums.ofParent(contribution), PartialSums::plus);
                }
            }
            if (layout.hasNoise() && !(whole && layout.noiseAdScoped())) {
                partials.merge(key.noiseKey(),
                        PartialSums.ofNoise(RevenueDispersion.of(key.state().rankDays())), PartialSums::plus);
            }
        }
        return complete;
    }

    /** The sums of the segments a run completes (see {@link #sum}), without the partial shares. */
    static Map<String, SegmentSums> complete(KeyRuns.Run<Keyed> run, ParentLayout layout) {
        Map<String, SegmentSums> complete = new HashMap<>();
        if (run.boundary()) {
            return complete;
        }
        int levels = layout.segments().size();
        for (Keyed key : run.items()) {
            SegmentSums contribution = null;
            for (int i = 0; i < levels; i++) {
                if (layout.adScoped(i)) {
                    if (contribution == null) {
                        contribution = SegmentSums.of(key.state().rankCounters());
                    }
                    complete.merge(key.parentKeys()[i], contribution, SegmentSums::plus);
                }
            }
        }
        return complete;
    }

    /** The noise sums a run completes: empty for a boundary run or a noise segment of many ads. */
    static Map<String, RevenueDispersion> completeNoise(KeyRuns.Run<Keyed> run, ParentLayout layout) {
        Map<String, RevenueDispersion> complete = new HashMap<>();
        if (run.boundary() || !layout.noiseAdScoped()) {
            return complete;
        }
        for (Keyed key : run.items()) {
            complete.merge(key.noiseKey(), RevenueDispersion.of(key.state().rankDays()),
                    RevenueDispersion::plus);
        }
        return complete;
    }
}
