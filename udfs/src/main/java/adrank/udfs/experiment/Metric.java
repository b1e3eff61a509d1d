package adrank.udfs.experiment;

/**
 * The ratio metrics of the A/B readout, each a sum over units divided by a sum over units (so each
 * is a {@link RatioSums} per arm), and how a person reads it.
 */
public enum Metric {
    /** Revenue per 1000 impressions: Σrevenue_micros / Σimpressions × 1000, read in dollars. */
    CPM("cpm", 1000 / 1e6),
    /** Clicks per impression. */
    CTR("ctr", 1),
    /** Conversions per click (view-through and lagged conversions included, so it may exceed 1). */
    CVR("cvr", 1),
    /** Value per click, the VPC the rank models: Σvalue_micros / Σclicks, read in dollars. */
    VPC("vpc", 1 / 1e6);

    private final String code;
    private final double displayScale;

    Metric(String code, double displayScale) {
        this.code = code;
        this.displayScale = displayScale;
    }

    public String code() {
        return code;
    }

    /** Multiplies a ratio of stored units (micros, counts) into what people read (dollars, rates). */
    public double displayScale() {
        return displayScale;
    }
}
