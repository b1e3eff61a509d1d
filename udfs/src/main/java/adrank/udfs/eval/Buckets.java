package adrank.udfs.eval;

import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.Inputs;
import java.util.Locale;

/**
 * The report bucket of a key: its impression volume in the history the prediction was made from
 * (thin / medium / thick) × its billing type.
 *
 * <p>{@code impressions < thinBelow} is {@link Volume#THIN}, {@code < thickFrom}
 * {@link Volume#MEDIUM}, else {@link Volume#THICK}; {@link #DEFAULT} is 100 and 10,000.
 * {@code thinBelow == thickFrom} leaves no medium bucket.
 *
 * @param thinBelow a key with fewer history impressions is thin, {@code >= 1}
 * @param thickFrom a key with at least this many is thick, {@code >= thinBelow}
 */
public record Buckets(long thinBelow, long thickFrom) implements java.io.Serializable {

    /** Thin below 100 history impressions, thick from 10,000. */
    public static final Buckets DEFAULT = new Buckets(100, 10_000);

    /**
     * @throws IllegalArgumentException unless {@code 1 <= thinBelow <= thickFrom}
     */
    public Buckets {
        if (thinBelow < 1 || thickFrom < thinBelow) {
            throw new IllegalArgumentException("bucket thresholds thinBelow (" + thinBelow
                + ") and thickFrom (" + thickFrom + ") are not 1 <= thinBelow <= thickFrom");
        }
    }

    /** Impression volume of a key's history. */
    public enum Volume {
        THIN, MEDIUM, THICK;

        /** {@code thin}, {@code medium}, {@code thick}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How a key's ad is billed; {@link #UNKNOWN} where the job cannot tell. */
    public enum Billing {
        CPM, CPC, CPA, UNKNOWN;

        /** {@code cpm}, {@code cpc}, {@code cpa}, {@code unknown}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The billing of a label, case-insensitively: {@code cpm}, {@code cpc}, {@code cpa} or
         * {@code unknown}.
         *
         * @throws InvalidInputException if {@code label} is null or none of these
         */
        public static Billing parse(String label) {
            if (label == null) {
                throw new InvalidInputException("billing is null");
            }
            for (Billing b : values()) {
                if (b.label().equalsIgnoreCase(label)) {
                    return b;
                }
            }
            throw new InvalidInputException("billing (\"" + label
                + "\") is not one of cpm, cpc, cpa, unknown");
        }
    }

    /**
     * A report bucket.
     *
     * @param volume  the key's history volume
     * @param billing the key's billing
     */
    public record Bucket(Volume volume, Billing billing) implements java.io.Serializable {

        /** @throws InvalidInputException if a part is null */
        public Bucket {
            if (volume == null || billing == null) {
                throw new InvalidInputException("bucket volume (" + volume + ") and billing ("
                    + billing + ") must not be null");
            }
        }

        /** {@code volume/billing}, e.g. {@code thin/cpa}. */
        public String label() {
            return volume.label() + "/" + billing.label();
        }
    }

    /**
     * The volume bucket of a key.
     *
     * @param historyImpressions the key's impressions in the history its prediction came from
     *                           (total-to-limit plus open days as of day D)
     * @throws InvalidInputException if {@code historyImpressions} is null or negative
     */
    public Volume volume(Long historyImpressions) {
        long n = Inputs.count("historyImpressions", historyImpressions);
        return n < thinBelow ? Volume.THIN : n < thickFrom ? Volume.MEDIUM : Volume.THICK;
    }

    /**
     * The bucket of a key.
     *
     * @throws InvalidInputException if {@code historyImpressions} is null or negative, or
     *                               {@code billing} is null
     */
    public Bucket bucket(Long historyImpressions, Billing billing) {
        if (billing == null) {
            throw new InvalidInputException("billing is null");
        }
        return new Bucket(volume(historyImpressions), billing);
    }
}
