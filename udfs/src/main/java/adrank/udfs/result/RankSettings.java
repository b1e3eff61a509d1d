package adrank.udfs.result;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.vpc.PriorGuard;
import java.io.Serializable;

/**
 * The parameters of a key's result row ({@code rank.*}, {@code vpc.*} settings).
 *
 * @param priorStrength        k: the parent's weight in impressions in the shrinkage rank
 * @param parentMinImpressions a parent segment is used only with at least this many impressions
 * @param drift                the drift rule
 * @param forgetting           λ in (0, 1]: yesterday's evidence counts λ times
 * @param credibleLevel        level of the VPC credible interval
 * @param priorGuard           bounds on the strength of the empirical-Bayes CVR prior, in clicks
 * @param valuePriorStrength   weight of the parent's mean value per conversion, in conversions
 */
public record RankSettings(double priorStrength, long parentMinImpressions, DriftPolicy drift, double forgetting,
        double credibleLevel, PriorGuard priorGuard, double valuePriorStrength) implements Serializable {

    public RankSettings {
        if (!(priorStrength > 0) || Double.isInfinite(priorStrength)) {
            throw new IllegalArgumentException("rank.prior-strength must be a positive number, got " + priorStrength);
        }
        if (parentMinImpressions < 0) {
            throw new IllegalArgumentException("rank.parent-min-impressions must be >= 0, got " + parentMinImpressions);
        }
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new IllegalArgumentException("vpc.forgetting must be in (0, 1], got " + forgetting);
        }
        if (!(credibleLevel > 0 && credibleLevel < 1)) {
            throw new IllegalArgumentException("vpc.credible-level must be in (0, 1), got " + credibleLevel);
        }
        if (!(valuePriorStrength > 0) || Double.isInfinite(valuePriorStrength)) {
            throw new IllegalArgumentException("vpc.value-prior-strength must be positive, got " + valuePriorStrength);
        }
    }
}
