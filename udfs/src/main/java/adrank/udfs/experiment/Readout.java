package adrank.udfs.experiment;

import java.util.EnumMap;
import java.util.Map;

/**
 * The A/B readout of one experiment from its arms' sums: per metric each arm's ratio with its
 * interval, B's relative lift over A with a fixed-horizon and a sequential (always-valid) interval,
 * and the sample-ratio check of the unit counts against the design's B share.
 *
 * @param a       arm A's sums
 * @param b       arm B's sums
 * @param srm     the sample-ratio check
 * @param metrics per metric
 */
public record Readout(ArmSums a, ArmSums b, SampleRatio srm, Map<Metric, MetricReadout> metrics) {

    /**
     * One metric.
     *
     * @param armA           A's ratio with its fixed interval (stored units; see {@link Metric#displayScale})
     * @param armB           B's
     * @param lift           R_B / R_A − 1 with its fixed-horizon interval
     * @param liftSequential the same with the always-valid interval
     */
    public record MetricReadout(Interval armA, Interval armB, Interval lift, Interval liftSequential) {
    }

    /**
     * @param bShare     the design's B share (for the SRM check)
     * @param confidence e.g. 0.95
     * @param tuning     the confidence sequence's N* ({@link Lift#DEFAULT_SEQUENTIAL_TUNING})
     * @param srmThreshold p below which the split is flagged ({@link SampleRatio#DEFAULT_THRESHOLD})
     */
    public static Readout of(ArmSums a, ArmSums b, double bShare, double confidence, double tuning,
            double srmThreshold) {
        Map<Metric, MetricReadout> metrics = new EnumMap<>(Metric.class);
        double z = Lift.z(confidence);
        for (Metric m : Metric.values()) {
            RatioEstimate ea = RatioEstimate.of(a.ratio(m));
            RatioEstimate eb = RatioEstimate.of(b.ratio(m));
            metrics.put(m, new MetricReadout(arm(ea, z), arm(eb, z), Lift.fixed(ea, eb, confidence),
                    Lift.sequential(ea, eb, confidence, tuning)));
        }
        return new Readout(a, b, SampleRatio.check(a.units(), b.units(), bShare, srmThreshold), Map.copyOf(metrics));
    }

    private static Interval arm(RatioEstimate e, double z) {
        if (!Double.isFinite(e.variance())) {
            return Interval.undefined(e.ratio());
        }
        double half = z * e.standardError();
        return new Interval(e.ratio(), e.ratio() - half, e.ratio() + half);
    }
}
