package adrank.udfs.result;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A key's result row.
 *
 * @param cpm         own CPM (micros per thousand impressions), null without impressions
 * @param weight      certainty of the own CPM after the drift rule
 * @param parentKey   the parent segment the rank shrinks toward
 * @param parentCpm   that parent's CPM
 * @param rank        the shrunk CPM
 * @param drift       drift z-score of the recent period against the total, null without reference
 * @param driftFlag   whether the drift rule fired
 * @param vpc         the VPC part, null when not computed in this run (hourly) or not computable
 */
public record KeyResult(Double cpm, double weight, String parentKey, double parentCpm, double rank, Double drift,
        boolean driftFlag, VpcPart vpc) {

    /**
     * The VPC part of a result row.
     *
     * @param vpcParent  the parent whose priors were used
     * @param mean       VPC mean in micros per click, null when the value mean does not exist
     * @param lo         lower credible bound
     * @param hi         upper credible bound
     * @param cvrShape   posterior shape of conversions per click (pseudo-conversions)
     * @param cvrRate    posterior rate (pseudo-clicks)
     * @param valueShape posterior shape of the value-per-conversion rate
     * @param valueRate  posterior rate
     */
    public record VpcPart(String vpcParent, Double mean, double lo, double hi, double cvrShape, double cvrRate,
            double valueShape, double valueRate) {
    }

    /** The rank columns, as stored in the result family (names are the HBase qualifiers). */
    public Map<String, String> rankColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("cpm", cpm == null ? "" : Double.toString(cpm));
        columns.put("weight", Double.toString(weight));
        columns.put("parent", parentKey);
        columns.put("parent_cpm", Double.toString(parentCpm));
        columns.put("rank", Double.toString(rank));
        columns.put("drift", drift == null ? "" : Double.toString(drift));
        columns.put("drift_flag", Boolean.toString(driftFlag));
        return columns;
    }

    /** The VPC columns (empty when there is no VPC part). */
    public Map<String, String> vpcColumns() {
        Map<String, String> columns = new LinkedHashMap<>();
        if (vpc != null) {
            columns.put("vpc_parent", vpc.vpcParent());
            columns.put("vpc_mean", vpc.mean() == null ? "" : Double.toString(vpc.mean()));
            columns.put("vpc_lo", Double.toString(vpc.lo()));
            columns.put("vpc_hi", Double.toString(vpc.hi()));
            columns.put("cvr_shape", Double.toString(vpc.cvrShape()));
            columns.put("cvr_rate", Double.toString(vpc.cvrRate()));
            columns.put("value_shape", Double.toString(vpc.valueShape()));
            columns.put("value_rate", Double.toString(vpc.valueRate()));
        }
        return columns;
    }
}
