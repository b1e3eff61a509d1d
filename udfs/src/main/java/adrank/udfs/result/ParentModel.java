package adrank.udfs.result;

import adrank.udfs.vpc.EmpiricalBayes;
import adrank.udfs.vpc.EmpiricalBayesPrior;
import adrank.udfs.vpc.RatePosterior;
import adrank.udfs.vpc.ValuePosterior;
import java.io.Serializable;

/**
 * A parent segment's averages as keys use them: its CPM and its priors for the VPC.
 *
 * @param parentKey  the parent key ({@link adrank.udfs.key.ParentKeys} format)
 * @param sums       the segment's exact sums
 * @param cpm        micros per thousand impressions, null without impressions
 * @param cvrPrior   empirical-Bayes Gamma prior of conversions per click, null when the segment
 *                   has fewer than two keys with clicks (no variance to estimate)
 * @param priorGuard which strength guard shaped the CVR prior (NONE when none did), null with no prior
 * @param valuePrior Gamma prior of value per conversion, null without conversions with value
 * @param betweenKeyVariance τ², how much its keys' true CPMs differ ({@link BetweenKeySums}, CPM units
 *                   squared), null when not estimated (a fixed prior strength, or fewer than two keys)
 */
public record ParentModel(String parentKey, SegmentSums sums, Double cpm, RatePosterior cvrPrior,
        EmpiricalBayesPrior.Guard priorGuard, ValuePosterior valuePrior, Double betweenKeyVariance)
        implements Serializable {

    /** The same model with its between-key variance. */
    public ParentModel withBetweenKeyVariance(Double tau2) {
        return new ParentModel(parentKey, sums, cpm, cvrPrior, priorGuard, valuePrior, tau2);
    }

    /** Derives the model from the segment's sums. */
    public static ParentModel of(String parentKey, SegmentSums sums, RankSettings settings) {
        RatePosterior cvrPrior = null;
        EmpiricalBayesPrior.Guard guard = null;
        if (sums.rateKeys() >= 2) {
            EmpiricalBayesPrior eb = EmpiricalBayes.gammaPrior(sums.moments(), settings.priorGuard());
            cvrPrior = eb.prior();
            guard = eb.guard();
        }
        ValuePosterior valuePrior = null;
        if (sums.convsApprox() > 0 && sums.valueApprox() > 0) {
            valuePrior = ValuePosterior.priorWithMean(sums.valueApprox() / sums.convsApprox(),
                    settings.valuePriorStrength());
        }
        return new ParentModel(parentKey, sums, sums.cpm(), cvrPrior, guard, valuePrior, null);
    }

    /** Usable for the rank: enough impressions for its CPM to mean something. */
    public boolean usableForRank(long minImpressions) {
        return cpm != null && sums.impsAtLeast(minImpressions);
    }

    /**
     * Usable for the VPC: enough impressions, both priors exist, and the CVR prior is an estimate,
     * not the clamp of a degenerate one. A segment whose between-key variance came out at or
     * below zero (or whose strength exceeded the maximum) would give its keys the maximum prior
     * strength: intervals far too narrow. Measured with {@code rank evaluate --truth}: such
     * priors covered the true VPC for 27 % of their keys at a nominal 90 %.
     */
    public boolean usableForVpc(long minImpressions) {
        return usableForRank(minImpressions) && cvrPrior != null && valuePrior != null
                && priorGuard != EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL;
    }
}
