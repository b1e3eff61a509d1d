package adrank.udfs.result;

import adrank.udfs.key.ParentKeys;
import java.io.Serializable;
import java.util.List;

/**
 * Which parent segments of a key are complete within its ad's keys. A segment that contains the
 * first key dimension (by default {@code ad_id}) has no key outside one ad: the ad's keys alone sum
 * to it. Such a segment is <i>ad-scoped</i>; the others ({@code [geo, device]}, the global segment
 * {@code []}) collect keys of many ads. The same holds for the noise segment ({@code rank.noise-segment}).
 *
 * @see KeyRuns
 */
public final class ParentLayout implements Serializable {

    private static final long serialVersionUID = 1L;

    private final ParentKeys parentKeys;
    private final List<List<String>> segments;
    private final boolean[] adScoped;
    private final List<String> noiseSegment;
    private final boolean noiseAdScoped;

    /**
     * @param keyDimensions the key dimensions in order; the first one names the ad
     * @param segments      the parent segments in fallback order
     * @param noiseSegment  the noise segment, or null when no noise model is fitted
     */
    public ParentLayout(ParentKeys parentKeys, List<String> keyDimensions, List<List<String>> segments,
            List<String> noiseSegment) {
        if (keyDimensions.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one dimension");
        }
        String ad = keyDimensions.get(0);
        this.parentKeys = parentKeys;
        this.segments = List.copyOf(segments);
        this.adScoped = new boolean[segments.size()];
        for (int i = 0; i < adScoped.length; i++) {
            adScoped[i] = segments.get(i).contains(ad);
        }
        this.noiseSegment = noiseSegment == null ? null : List.copyOf(noiseSegment);
        this.noiseAdScoped = noiseSegment != null && noiseSegment.contains(ad);
    }

    /** The parent segments in fallback order. */
    public List<List<String>> segments() {
        return segments;
    }

    /** Whether segment {@code index} (of {@link #segments()}) is complete within one ad's keys. */
    public boolean adScoped(int index) {
        return adScoped[index];
    }

    /** Whether a noise segment is configured. */
    public boolean hasNoise() {
        return noiseSegment != null;
    }

    /** Whether the noise segment is complete within one ad's keys (false without one). */
    public boolean noiseAdScoped() {
        return noiseAdScoped;
    }

    /** A key's decoded components. */
    public List<String> components(String encodedKey) {
        return parentKeys.components(encodedKey);
    }

    /** The ad of a key: its first component. */
    public static String ad(List<String> components) {
        return components.get(0);
    }

    /** The key's parent key in segment {@code index}. */
    public String parentKey(List<String> components, int index) {
        return parentKeys.of(components, segments.get(index));
    }

    /** The key's noise segment key (null without a noise segment). */
    public String noiseKey(List<String> components) {
        return noiseSegment == null ? null : parentKeys.of(components, noiseSegment);
    }
}
