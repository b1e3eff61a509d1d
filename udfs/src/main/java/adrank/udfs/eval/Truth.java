package adrank.udfs.eval;

import adrank.udfs.rank.Inputs;

/**
 * What a key truly is, where a generator knows it: its billing, its long-run CPM and its value
 * per click (the generator's {@code truth/keys.tsv}).
 *
 * @param billing       how the key's ad is billed
 * @param cpmMicros     true revenue per thousand impressions, micros
 * @param vpcMicros     true value per click, micros: conversions per click × value per conversion
 */
public record Truth(Buckets.Billing billing, double cpmMicros, double vpcMicros) implements java.io.Serializable {

    /**
     * @throws adrank.udfs.rank.InvalidInputException if billing is null or a value is negative,
     *                                                NaN or infinite
     */
    public Truth {
        if (billing == null) {
            throw new adrank.udfs.rank.InvalidInputException("billing is null");
        }
        Inputs.nonNegative("cpmMicros", cpmMicros);
        Inputs.nonNegative("vpcMicros", vpcMicros);
    }

    /**
     * The truth from the generator's columns.
     *
     * @param ctr                clicks per impression (unused here, checked)
     * @param cvr                conversions per click
     * @param cpmMicros          revenue per thousand impressions
     * @param valuePerConvMicros value per conversion
     * @param billing            {@code cpm}, {@code cpc} or {@code cpa}
     */
    public static Truth of(double ctr, double cvr, double cpmMicros, double valuePerConvMicros, String billing) {
        Inputs.nonNegative("ctr", ctr);
        Inputs.nonNegative("cvr", cvr);
        Inputs.nonNegative("valuePerConvMicros", valuePerConvMicros);
        return new Truth(Buckets.Billing.parse(billing), cpmMicros, cvr * valuePerConvMicros);
    }
}
