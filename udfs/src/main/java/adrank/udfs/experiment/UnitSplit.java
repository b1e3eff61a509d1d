package adrank.udfs.experiment;

import java.nio.charset.StandardCharsets;

/**
 * Which traffic units an experiment sends to its B arm: a unit is in B when its bucket is below
 * the share. The bucket depends only on the experiment's salt and the unit id, so
 * <ul>
 *   <li>the same unit stays in its arm for as long as the experiment runs, whatever versions A and
 *       B are refreshed to (the salt outlives version numbers);</li>
 *   <li>raising the share only adds units to B;</li>
 *   <li>a new experiment (a new salt) draws an independent group.</li>
 * </ul>
 * The reader routes with it, the generator simulates logged arms with it, and the A/B readout can
 * check logged arms against it, so all three agree bit for bit. Reproducible outside Java:
 * {@code (mmh3.hash64((salt + "/" + unit).encode("utf-8"), 0, signed=True)[0] & 2**64-1) >> 11) / 2**53}
 * in Python.
 */
public final class UnitSplit {

    private UnitSplit() {
    }

    /**
     * The unit's bucket in [0, 1): {@code (h1 >>> 11) · 2⁻⁵³} with {@code h1} the first 64 bits of
     * MurmurHash3 x64 128 (seed 0) of the UTF-8 bytes of {@code salt + "/" + unitId}.
     */
    public static double bucket(String salt, String unitId) {
        if (salt == null || unitId == null) {
            throw new IllegalArgumentException("salt and unit id are required, got salt " + salt + ", unit " + unitId);
        }
        long h1 = Murmur3.hash64((salt + "/" + unitId).getBytes(StandardCharsets.UTF_8), 0);
        return (h1 >>> 11) * 0x1.0p-53;
    }

    /** Whether {@code unitId} is in the B arm of an experiment salted {@code salt} with B share {@code share}. */
    public static boolean inB(String salt, String unitId, double share) {
        return bucket(salt, unitId) < share;
    }
}
