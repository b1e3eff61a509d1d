package adrank.udfs.experiment;

import java.nio.ByteBuffer;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The first 64 bits ({@code h1}) of MurmurHash3 x64 128 (Apache Commons Codec's
 * {@code hash128x64}, seed zero-extended as in Austin Appleby's reference): a fast,
 * well-distributed hash that other languages reproduce bit for bit (Python
 * {@code mmh3.hash64(data, seed, signed=True)[0]}, Guava
 * {@code Hashing.murmur3_128(seed).hashBytes(data).asLong()}), so traffic splits and checksums
 * can be checked outside Java.
 */
public final class Murmur3 {

    private Murmur3() {
    }

    public static long hash64(byte[] data, int seed) {
        return MurmurHash3.hash128x64(data, 0, data.length, seed)[0];
    }

    /** Hashes the remaining bytes of {@code buffer} (its position and limit are left as they are). */
    public static long hash64(ByteBuffer buffer, int seed) {
        if (buffer.hasArray()) {
            return MurmurHash3.hash128x64(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(),
                    seed)[0];
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return hash64(copy, seed);
    }
}
