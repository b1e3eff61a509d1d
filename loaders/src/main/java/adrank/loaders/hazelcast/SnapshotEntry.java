package adrank.loaders.hazelcast;

import adrank.udfs.stats.Counters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an ad server reads for one key (or one parent segment) of a snapshot: stored in
 * Hazelcast with Compact serialization ({@link SnapshotSerialization}), so members need no Java
 * serialization and clients in other languages can read it as a generic record.
 *
 * <p>Doubles that may be undefined use {@link Double#NaN} for "none": {@code cpm} without
 * impressions, {@code vpcMean} when the value posterior has no mean, {@code vpcLo}/{@code vpcHi}
 * without an interval.
 *
 * @param rank         the shrunk CPM the ad server ranks by
 * @param weight       certainty of the own CPM, in [0, 1]
 * @param cpm          own CPM, or NaN
 * @param parentCpm    the parent CPM it was shrunk toward
 * @param vpcMean      value per click, or NaN
 * @param vpcLo        lower bound of the VPC interval, or NaN
 * @param vpcHi        upper bound of the VPC interval, or NaN
 * @param driftFlagged whether the drift rule reduced the weight
 * @param today        today's counters ({@link Counters#ZERO} when there are none)
 * @param total        total-to-limit counters ({@link Counters#ZERO} when there are none)
 * @param computedAt   when the row was computed (epoch ms)
 */
public record SnapshotEntry(double rank, double weight, double cpm, double parentCpm, double vpcMean, double vpcLo,
        double vpcHi, boolean driftFlagged, Counters today, Counters total, long computedAt) {

    public SnapshotEntry {
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(total, "total");
    }

    /**
     * A stable 64-bit hash of {@code key} and every field, the same wherever it is computed
     * (from source rows on an executor, or from the loaded map on a member). Summed over a
     * snapshot (wrapping), it gives an order-independent checksum.
     *
     * <p>Definition: the first 64 bits of MurmurHash3 x64 128 (seed 0) over the UTF-8 bytes of the
     * key, one 0 byte, then every field in declaration order as a big-endian 8-byte value
     * (doubles as {@link Double#doubleToLongBits}, so every NaN hashes alike; the flag as 0/1;
     * each counter set as imps, clicks, convs, revenue, value).
     */
    public long checksum(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(keyBytes.length + 1 + 19 * Long.BYTES);
        buffer.put(keyBytes).put((byte) 0);
        buffer.putLong(Double.doubleToLongBits(rank)).putLong(Double.doubleToLongBits(weight))
                .putLong(Double.doubleToLongBits(cpm)).putLong(Double.doubleToLongBits(parentCpm))
                .putLong(Double.doubleToLongBits(vpcMean)).putLong(Double.doubleToLongBits(vpcLo))
                .putLong(Double.doubleToLongBits(vpcHi)).putLong(driftFlagged ? 1 : 0);
        putCounters(buffer, today);
        putCounters(buffer, total);
        buffer.putLong(computedAt);
        buffer.flip();
        return Murmur3.hash64(buffer, 0);
    }

    private static void putCounters(ByteBuffer buffer, Counters c) {
        buffer.putLong(c.imps()).putLong(c.clicks()).putLong(c.convs()).putLong(c.revenueMicros())
                .putLong(c.valueMicros());
    }
}
