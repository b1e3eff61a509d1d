package adrank.loaders.hazelcast;

import adrank.udfs.experiment.Murmur3;
import adrank.udfs.stats.Counters;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an ad server reads for one key (or one parent segment) of a snapshot: stored in
 * Hazelcast with Compact serialization ({@link SnapshotSerialization}), so members need no Java
 * serialization and clients in other languages can read it as a generic record.
 *
 * <p>Every number is finite. A value that may not exist is a nullable {@link Double} (a Compact
 * {@code NULLABLE_FLOAT64}), null for "none": {@code cpm} without impressions, {@code vpcMean}
 * when the value posterior has no mean, {@code vpcMean}/{@code vpcLo}/{@code vpcHi} of a key
 * without a VPC (never folded by {@code daily}) and of parent segments. NaN and infinities are
 * refused here ({@link SnapshotValueException}) and by the publish, so no client ever sees one.
 *
 * <p>For a parent segment's entry, {@code rank = cpm = parentCpm} is the segment's CPM, and
 * {@code total} holds the segment's counters (its keys' total-to-limit plus today, summed): the
 * impressions the reader's fallback rule ({@link adrank.udfs.result.ParentChoice}) weighs, the
 * same the batch chose by.
 *
 * @param rank         the shrunk CPM the ad server ranks by
 * @param weight       certainty of the own CPM, in [0, 1]
 * @param cpm          own CPM, or null
 * @param parentCpm    the parent CPM it was shrunk toward
 * @param vpcMean      value per click, or null
 * @param vpcLo        lower bound of the VPC interval, or null
 * @param vpcHi        upper bound of the VPC interval, or null
 * @param driftFlagged whether the drift rule reduced the weight
 * @param today        today's counters ({@link Counters#ZERO} when there are none)
 * @param total        total-to-limit counters ({@link Counters#ZERO} when there are none)
 * @param computedAt   when the row was computed (epoch ms)
 */
public record SnapshotEntry(double rank, double weight, Double cpm, double parentCpm, Double vpcMean, Double vpcLo,
        Double vpcHi, boolean driftFlagged, Counters today, Counters total, long computedAt) {

    /** Checksum tag of an absent value. */
    private static final byte ABSENT = 0;
    /** Checksum tag of a present value (its 8 bytes follow). */
    private static final byte PRESENT = 1;

    /**
     * @throws SnapshotValueException if a number is NaN or infinite
     */
    public SnapshotEntry {
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(total, "total");
        finite("rank", rank);
        finite("weight", weight);
        finite("cpm", cpm);
        finite("parentCpm", parentCpm);
        finite("vpcMean", vpcMean);
        finite("vpcLo", vpcLo);
        finite("vpcHi", vpcHi);
    }

    private static void finite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw new SnapshotValueException("snapshot entry field " + field + " = " + value
                    + " is not a finite number (a snapshot holds finite numbers only; none is null)");
        }
    }

    /**
     * A stable 64-bit hash of {@code key} and every field, the same wherever it is computed
     * (from source rows on an executor, or from the loaded map on a member). Summed over a
     * snapshot (wrapping), it gives an order-independent checksum.
     *
     * <p>Definition: the first 64 bits of MurmurHash3 x64 128 (seed 0) over the UTF-8 bytes of the
     * key, one 0 byte, then every field in declaration order: a double as its big-endian 8-byte
     * {@link Double#doubleToLongBits}; a nullable double as one byte {@code 0} when absent, or one
     * byte {@code 1} followed by its 8 bytes when present (so absence hashes unlike any value,
     * 0.0 included); the flag as an 8-byte 0/1; each counter set as 8-byte imps, clicks, convs,
     * revenue, value; {@code computedAt} as 8 bytes.
     */
    public long checksum(String key) {
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(keyBytes.length + 1 + 19 * Long.BYTES + 4);
        buffer.put(keyBytes).put((byte) 0);
        buffer.putLong(Double.doubleToLongBits(rank)).putLong(Double.doubleToLongBits(weight));
        putNullable(buffer, cpm);
        buffer.putLong(Double.doubleToLongBits(parentCpm));
        putNullable(buffer, vpcMean);
        putNullable(buffer, vpcLo);
        putNullable(buffer, vpcHi);
        buffer.putLong(driftFlagged ? 1 : 0);
        putCounters(buffer, today);
        putCounters(buffer, total);
        buffer.putLong(computedAt);
        buffer.flip();
        return Murmur3.hash64(buffer, 0);
    }

    private static void putNullable(ByteBuffer buffer, Double value) {
        if (value == null) {
            buffer.put(ABSENT);
        } else {
            buffer.put(PRESENT).putLong(Double.doubleToLongBits(value));
        }
    }

    private static void putCounters(ByteBuffer buffer, Counters c) {
        buffer.putLong(c.imps()).putLong(c.clicks()).putLong(c.convs()).putLong(c.revenueMicros())
                .putLong(c.valueMicros());
    }
}
