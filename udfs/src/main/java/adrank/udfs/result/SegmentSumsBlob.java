package adrank.udfs.result;

import adrank.udfs.vpc.RateHistogram;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * Parent segments' sums packed into one byte array: per segment its key (UTF-8, length-prefixed),
 * its key counts, the 128-bit sums of {@link SegmentSums} as (hi, lo) longs and its {@link RateHistogram} (per pair
 * clicks − 1 as a short, conversions as an int, keys as a long). The result stage ships parents to every task (all
 * of them with {@code rank.parents-join = broadcast} and in {@code rank evaluate}; only the shared ones by ad);
 * as Java-serialized models that was ~1 M object graphs written twice (collect, broadcast) with
 * a handle-table lookup per object, as bytes it is a copy. The models are derived again from
 * the sums where they are used ({@link ParentModel#of} is a pure function of them).
 */
public final class SegmentSumsBlob {

    private SegmentSumsBlob() {
    }

    /** Packs segments (parent key → sums). */
    public static byte[] pack(Iterator<? extends Map.Entry<String, SegmentSums>> segments) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            while (segments.hasNext()) {
                Map.Entry<String, SegmentSums> e = segments.next();
                SegmentSums s = e.getValue();
                out.writeUTF(e.getKey());
                out.writeLong(s.keys());
                out.writeLong(s.rateKeys());
                out.writeLong(s.valueKeys());
                for (long word : s.words()) {
                    out.writeLong(word);
                }
                RateHistogram h = s.histogram();
                out.writeInt(h.size());
                for (int i = 0; i < h.size(); i++) {
                    out.writeShort(h.clicks()[i] - 1); // 1..1024
                    out.writeInt(h.conversions()[i]);
                    out.writeLong(h.keys()[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** Unpacks a blob of {@link #pack} into {@code into}, deriving each segment's model. */
    public static void unpackModels(byte[] blob, RankSettings settings, Map<String, ParentModel> into) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob))) {
            while (in.available() > 0) {
                String key = in.readUTF();
                long keys = in.readLong();
                long rateKeys = in.readLong();
                long valueKeys = in.readLong();
                long[] words = new long[2 * SegmentSums.WIDE_SUMS];
                for (int i = 0; i < words.length; i++) {
                    words[i] = in.readLong();
                }
                int pairs = in.readInt();
                int[] clicks = new int[pairs];
                int[] convs = new int[pairs];
                long[] counts = new long[pairs];
                for (int i = 0; i < pairs; i++) {
                    clicks[i] = in.readUnsignedShort() + 1;
                    convs[i] = in.readInt();
                    counts[i] = in.readLong();
                }
                SegmentSums sums = SegmentSums.ofParts(keys, rateKeys, valueKeys, words,
                        new RateHistogram(clicks, convs, counts));
                into.put(key, ParentModel.of(key, sums, settings));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not a segment sums blob: " + e, e);
        }
    }
}
