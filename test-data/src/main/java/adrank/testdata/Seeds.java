package adrank.testdata;

import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Independent random streams addressed by coordinates, e.g. (seed, KEY, key index) or
 * (seed, FILE, day, hour, server). Every stream depends on its coordinates only, never on the
 * order in which streams are used, which is what makes output independent of thread count.
 */
final class Seeds {

    /** Stream of one key's tuple and parameters. */
    static final long KEY = 0x4b4559L;
    /** Stream of one ad's parameters. */
    static final long AD = 0x4144L;
    /** Stream of the events of one file (one ad server in one hour). */
    static final long FILE = 0x46494c45L;
    /**
     * Stream of the traffic units of one file's requests (experiment runs only): separate from
     * {@link #FILE}, so an experiment changes no other byte of the events.
     */
    static final long UNIT = 0x554e4954L;

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private Seeds() {
    }

    /** A fresh generator whose full 128-bit state is a hash of the coordinates. */
    static UniformRandomProvider stream(long... coordinates) {
        long h = GOLDEN_GAMMA;
        for (long c : coordinates) {
            h = mix(h ^ mix(c + GOLDEN_GAMMA));
        }
        // Passed as the generator's native long[2] seed, so commons-rng uses it as is and the
        // output does not depend on its seed-conversion routines.
        return RandomSource.XO_RO_SHI_RO_128_PP.create(new long[] {h, mix(h + GOLDEN_GAMMA)});
    }

    /** The SplitMix64 finaliser: a bijective 64-bit hash with good avalanche. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
