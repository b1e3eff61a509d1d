package adrank.loaders.hazelcast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The first 64 bits ({@code h1}) of MurmurHash3 x64 128 (Austin Appleby's reference
 * {@code MurmurHash3_x64_128}, seed zero-extended): a fast, well-distributed hash that other
 * languages reproduce bit for bit (Python {@code mmh3.hash64(data, seed, signed=True)[0]},
 * Guava {@code Hashing.murmur3_128(seed).hashBytes(data).asLong()}), so traffic splits and
 * checksums can be checked outside Java.
 */
final class Murmur3 {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {
    }

    static long hash64(byte[] data, int seed) {
        return hash64(ByteBuffer.wrap(data), seed);
    }

    /** Hashes the remaining bytes of {@code buffer} (its position and limit are left as they are). */
    static long hash64(ByteBuffer buffer, int seed) {
        ByteBuffer data = buffer.slice().order(ByteOrder.LITTLE_ENDIAN);
        int length = data.remaining();
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = data.getLong(i * 16);
            long k2 = data.getLong(i * 16 + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = blocks * 16;
        long k1 = 0;
        long k2 = 0;
        switch (length & 15) {
            case 15: k2 ^= (data.get(tail + 14) & 0xffL) << 48; // fall through
            case 14: k2 ^= (data.get(tail + 13) & 0xffL) << 40; // fall through
            case 13: k2 ^= (data.get(tail + 12) & 0xffL) << 32; // fall through
            case 12: k2 ^= (data.get(tail + 11) & 0xffL) << 24; // fall through
            case 11: k2 ^= (data.get(tail + 10) & 0xffL) << 16; // fall through
            case 10: k2 ^= (data.get(tail + 9) & 0xffL) << 8; // fall through
            case 9:
                k2 ^= data.get(tail + 8) & 0xffL;
                h2 ^= mixK2(k2);
                // fall through
            case 8: k1 ^= (data.get(tail + 7) & 0xffL) << 56; // fall through
            case 7: k1 ^= (data.get(tail + 6) & 0xffL) << 48; // fall through
            case 6: k1 ^= (data.get(tail + 5) & 0xffL) << 40; // fall through
            case 5: k1 ^= (data.get(tail + 4) & 0xffL) << 32; // fall through
            case 4: k1 ^= (data.get(tail + 3) & 0xffL) << 24; // fall through
            case 3: k1 ^= (data.get(tail + 2) & 0xffL) << 16; // fall through
            case 2: k1 ^= (data.get(tail + 1) & 0xffL) << 8; // fall through
            case 1:
                k1 ^= data.get(tail) & 0xffL;
                h1 ^= mixK1(k1);
                break;
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        return h1 + h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
