package adrank.loaders.hazelcast;

import adrank.loaders.config.KeyConfig;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.result.ParentChoice;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * How a key missing from one snapshot version falls back to a parent segment, recorded with the
 * version by the publish ({@link VersionInfo#fallback()}) so that the reader applies exactly what
 * the batch that computed the version used, never its own configuration: the key's dimensions
 * and separator (to decode the key), the parent segments in order ({@code rank.parents}, the
 * global segment {@code []} last) and the minimum impressions of a parent
 * ({@code rank.parent-min-impressions}). The choice among the segments is
 * {@link ParentChoice}, the function the batch uses for a key's rank.
 *
 * <p>Immutable; segments are kept in key-dimension order ({@link ParentKeys#canonical}).
 */
public final class FallbackRule implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> keyDimensions;
    private final char separator;
    private final List<List<String>> parentSegments;
    private final long parentMinImpressions;
    private final ParentKeys parentKeys;

    /**
     * @throws IllegalArgumentException if a segment names a dimension the key does not have or
     *                                  is listed twice, or the minimum is negative
     */
    public FallbackRule(List<String> keyDimensions, char separator, List<List<String>> parentSegments,
            long parentMinImpressions) {
        if (keyDimensions.isEmpty() || new HashSet<>(keyDimensions).size() != keyDimensions.size()) {
            throw new IllegalArgumentException("key dimensions must be distinct and at least one: " + keyDimensions);
        }
        if (parentMinImpressions < 0) {
            throw new IllegalArgumentException("parent minimum impressions must be >= 0, got " + parentMinImpressions);
        }
        this.keyDimensions = List.copyOf(keyDimensions);
        this.separator = separator;
        this.parentKeys = new ParentKeys(keyDimensions, separator);
        List<List<String>> canonical = new ArrayList<>();
        for (List<String> segment : parentSegments) {
            List<String> ordered = List.copyOf(parentKeys.canonical(segment));
            if (canonical.contains(ordered)) {
                throw new IllegalArgumentException("parent segment " + segment + " is listed twice in " + parentSegments);
            }
            canonical.add(ordered);
        }
        this.parentSegments = List.copyOf(canonical);
        this.parentMinImpressions = parentMinImpressions;
    }

    /** What a publish records from its configuration ({@code key.*}, {@code rank.parents}, {@code rank.parent-min-impressions}). */
    public static FallbackRule of(KeyConfig key, List<List<String>> parents, long parentMinImpressions) {
        return new FallbackRule(key.dimensions(), key.separator(), parents, parentMinImpressions);
    }

    public List<String> keyDimensions() {
        return keyDimensions;
    }

    public char separator() {
        return separator;
    }

    /** The parent segments in fallback order (dimension names in key order; {@code []} = global). */
    public List<List<String>> parentSegments() {
        return parentSegments;
    }

    public long parentMinImpressions() {
        return parentMinImpressions;
    }

    /** The parent-key codec of these key dimensions and separator. */
    public ParentKeys parentKeys() {
        return parentKeys;
    }

    /**
     * Checks that a parent key of the parents table belongs to one of the segments (a publish
     * must not record segments other than those the parent averages were computed for).
     *
     * @return the segment's index in {@link #parentSegments()}
     * @throws SnapshotValueException naming the parent key and the segments otherwise
     */
    public int requireSegmentOf(String parentKey) {
        List<String> segment;
        if (ParentKeys.GLOBAL.equals(parentKey)) {
            segment = List.of();
        } else {
            int colon = parentKey.indexOf(':');
            segment = colon <= 0 ? null : List.of(parentKey.substring(0, colon).split(",", -1));
        }
        int index = segment == null ? -1 : parentSegments.indexOf(segment);
        if (index < 0) {
            throw new SnapshotValueException("cannot publish parent '" + parentKey + "': it is in no segment of rank.parents "
                    + parentSegments + ": the parent averages were computed with other segments than this publish "
                    + "would record; run the results again (hourly or daily) with these rank.parents, or publish "
                    + "with the rank.parents they were computed with");
        }
        return index;
    }

    /**
     * Whether a reader applying this rule can ever answer with a parent of segment {@code segmentIndex} that has
     * {@code impressions} ({@link ParentChoice#canBeChosen}): a publish loads only those, so a parent below the
     * minimum (most of the ad-level segments) costs no snapshot entry, and every lookup answers as before.
     */
    public boolean canAnswerWith(int segmentIndex, long impressions) {
        return ParentChoice.canBeChosen(segmentIndex == parentSegments.size() - 1, impressions, parentMinImpressions);
    }

    /** Segments as their Compact text: dimension names joined by ','; "" is the global segment. */
    List<String> segmentTexts() {
        return parentSegments.stream().map(segment -> String.join(",", segment)).toList();
    }

    /** A segment from its Compact text. */
    static List<String> segment(String text) {
        return text.isEmpty() ? List.of() : List.of(text.split(",", -1));
    }

    /** E.g. {@code [ad_id, geo, device] > [ad_id, geo] > [geo, device] > [], min 1000 impressions}. */
    public String describe() {
        return String.join(" > ", parentSegments.stream().map(List::toString).toList()) + ", min "
                + parentMinImpressions + " impressions";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FallbackRule r && separator == r.separator && parentMinImpressions == r.parentMinImpressions
                && keyDimensions.equals(r.keyDimensions) && parentSegments.equals(r.parentSegments);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyDimensions, separator, parentSegments, parentMinImpressions);
    }

    @Override
    public String toString() {
        return "FallbackRule[key " + keyDimensions + " sep '" + separator + "', " + describe() + "]";
    }
}
