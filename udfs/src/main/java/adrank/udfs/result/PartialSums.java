package adrank.udfs.result;

import java.io.Serializable;

/**
 * What one partition contributes to a segment that is not complete within it (a segment of keys
 * of many ads, or an ad cut by a partition boundary): its parent sums, its noise sums, or both
 * (a segment key may name a parent and the noise segment at once, e.g. {@code ad_id:ad7} with
 * {@code [ad_id]} in both). Merged exactly, in any order.
 *
 * @param parent the parent sums, or null when the segment is not a parent here
 * @param noise  the noise sums, or null when the segment is not the noise segment
 */
public record PartialSums(SegmentSums parent, RevenueDispersion noise) implements Serializable {

    public static PartialSums ofParent(SegmentSums sums) {
        return new PartialSums(sums, null);
    }

    public static PartialSums ofNoise(RevenueDispersion sums) {
        return new PartialSums(null, sums);
    }

    /** The exact sum of two partial sums. */
    public PartialSums plus(PartialSums o) {
        return new PartialSums(parent == null ? o.parent : o.parent == null ? parent : parent.plus(o.parent),
                noise == null ? o.noise : o.noise == null ? noise : noise.plus(o.noise));
    }
}
