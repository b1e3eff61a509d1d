package adrank.loaders.hazelcast;

import adrank.udfs.experiment.Murmur3;
import java.nio.charset.StandardCharsets;

/**
 * Which traffic units see the B version of an A/B split: a unit is in B when its bucket is below
 * the share. The bucket is a stable hash, so the same unit always gets the same version while
 * the split lasts, and ramping the share up only adds units to B. The hash is salted with the B
 * version, so each new experiment draws a fresh, independent group instead of reusing the units
 * that happened to hash low last time.
 */
public final class TrafficSplit {

    private TrafficSplit() {
    }

    /**
     * The unit's bucket in [0, 1): {@code (h1 >>> 11) · 2⁻⁵³} with {@code h1} the first 64 bits of
     * MurmurHash3 x64 128 of the UTF-8 bytes of {@code unitId}, seeded with the B version.
     */
    public static double bucket(String unitId, int bVersion) {
        long h1 = Murmur3.hash64(unitId.getBytes(StandardCharsets.UTF_8), bVersion);
        return (h1 >>> 11) * 0x1.0p-53;
    }

    /** Whether {@code unitId} falls into the B share of a split towards {@code bVersion}. */
    public static boolean inB(String unitId, int bVersion, double share) {
        return bucket(unitId, bVersion) < share;
    }
}
