package adrank.udfs.key;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where to split a table of encoded keys into regions so each receives about its share of rows:
 * the quantiles of a sample of the keys, in HBase's order (unsigned bytes, which for UTF-8 is
 * code-point order). A uniform split of a character range does not work for adrank's keys: they
 * start with the first key dimension (ad ids such as {@code ad000123}), so every key shares a
 * prefix and lands in one region.
 */
public final class SplitPoints {

    private SplitPoints() {
    }

    /**
     * The {@code regions - 1} split points (fewer when the sample has fewer distinct keys) that cut
     * the sorted {@code sample} into {@code regions} runs of equal length: point {@code i} is the
     * sample's element at rank {@code ⌊i · n / regions⌋}. Strictly increasing, none empty.
     *
     * @throws IllegalArgumentException when {@code regions < 1} or a key is null or empty
     */
    public static List<byte[]> quantiles(List<byte[]> sample, int regions) {
        if (regions < 1) {
            throw new IllegalArgumentException("regions must be at least 1, got " + regions);
        }
        byte[][] sorted = sample.toArray(new byte[0][]);
        for (byte[] key : sorted) {
            if (key == null || key.length == 0) {
                throw new IllegalArgumentException("sample keys must be non-empty");
            }
        }
        Arrays.sort(sorted, Arrays::compareUnsigned);
        List<byte[]> points = new ArrayList<>();
        for (int i = 1; i < regions && sorted.length > 0; i++) {
            byte[] point = sorted[(int) ((long) i * sorted.length / regions)];
            // a point equal to the previous one (or to the smallest key) would make an empty region
            byte[] floor = points.isEmpty() ? sorted[0] : points.get(points.size() - 1);
            if (Arrays.compareUnsigned(point, floor) > 0) {
                points.add(point);
            }
        }
        return points;
    }

    /**
     * The index of the region that holds {@code key} among the regions bounded by the sorted
     * {@code points} (region {@code i} holds keys from point {@code i - 1} inclusive to point
     * {@code i} exclusive; region 0 starts at the empty key).
     */
    public static int regionOf(List<byte[]> points, byte[] key) {
        int low = 0;
        int high = points.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (Arrays.compareUnsigned(points.get(mid), key) <= 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * How evenly counts spread over regions: each region's count divided by its fair share (the
     * total over the number of regions). 1.0 everywhere is perfectly even; a region with none is 0.
     */
    public static double[] shareRatios(long[] perRegion) {
        long total = Arrays.stream(perRegion).sum();
        double[] ratios = new double[perRegion.length];
        for (int i = 0; i < perRegion.length; i++) {
            ratios[i] = total == 0 ? 0.0 : perRegion[i] * (double) perRegion.length / total;
        }
        return ratios;
    }
}
