package adrank.udfs.result;

import adrank.udfs.vpc.EmpiricalBayes;
import adrank.udfs.vpc.EmpiricalBayesPrior;
import adrank.udfs.vpc.GammaMixtureFit;
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
 * @param valuePriorFitted whether the value prior was estimated from the spread of the segment's keys
 *                   ({@link EmpiricalBayes#valuePrior}); if not (fewer than three keys with value) it is
 *                   the segment's mean value with the fixed {@code vpc.value-prior-strength}, which only
 *                   the global segment lends, as the last resort
 * @param betweenKeyVariance τ², how much its keys' true CPMs differ ({@link BetweenKeySums}, CPM units
 *                   squared), null when not estimated (a fixed prior strength, or fewer than two keys)
 */
public record ParentModel(String parentKey, SegmentSums sums, Double cpm, RatePosterior cvrPrior,
        EmpiricalBayesPrior.Guard priorGuard, ValuePosterior valuePrior, boolean valuePriorFitted,
        Double betweenKeyVariance) implements Serializable {

    /** The same model with its between-key variance. */
    public ParentModel withBetweenKeyVariance(Double tau2) {
        return new ParentModel(parentKey, sums, cpm, cvrPrior, priorGuard, valuePrior, valuePriorFitted, tau2);
    }

    /**
     * Derives the model from the segment's sums: the CVR prior by maximum likelihood of the
     * Gamma–Poisson marginal of its keys ({@link SegmentSums#histogram()}, {@link GammaMixtureFit}); a
     * segment with rate keys but no conversion at all keeps the moment estimate's guarded prior (it
     * is {@code VARIANCE_TOO_SMALL}: no spread to see). The value prior from the log-moments of its
     * keys' mean values ({@link EmpiricalBayes#valuePrior}), or with fewer than three such keys the
     * segment's mean value with the fixed strength.
     */
    public static ParentModel of(String parentKey, SegmentSums sums, RankSettings settings) {
        RatePosterior cvrPrior = null;
        EmpiricalBayesPrior.Guard guard = null;
        if (sums.rateKeys() >= 2) {
            GammaMixtureFit.Fit fit = sums.histogram().fit();
            EmpiricalBayesPrior eb = fit == null ? EmpiricalBayes.gammaPrior(sums.moments(), settings.priorGuard())
                    : EmpiricalBayes.gammaPrior(fit, settings.priorGuard());
            cvrPrior = eb.prior();
            guard = eb.guard();
        }
        ValuePosterior valuePrior = null;
        boolean fitted = false;
        if (sums.valueKeys() >= EmpiricalBayes.MIN_VALUE_KEYS) {
            valuePrior = EmpiricalBayes.valuePrior(sums.valueKeys(), sums.logValueMean(), sums.logValueVariance());
            fitted = true;
        } else if (sums.convsApprox() > 0 && sums.valueApprox() > 0) {
            valuePrior = ValuePosterior.priorWithMean(sums.valueApprox() / sums.convsApprox(),
                    settings.valuePriorStrength());
        }
        return new ParentModel(parentKey, sums, sums.cpm(), cvrPrior, guard, valuePrior, fitted, null);
    }

    /** Usable for the rank: enough impressions for its CPM to mean something. */
    public boolean usableForRank(long minImpressions) {
        return cpm != null && sums.impsAtLeast(minImpressions);
    }

    /**
     * Usable for the VPC: enough impressions, both priors exist and are estimates of the segment's
     * spread, not the clamp of a degenerate one nor a fixed strength. A segment whose keys showed no
     * spread beyond their Poisson noise (or a strength above the maximum) would give its keys the
     * maximum prior strength: intervals far too narrow (measured with {@code rank evaluate --truth}:
     * such priors covered the true VPC for 27 % of their keys at a nominal 90 %). Its keys borrow the
     * next coarser segment's priors instead.
     */
    public boolean usableForVpc(long minImpressions) {
        return usableForRank(minImpressions) && cvrPrior != null && valuePrior != null && valuePriorFitted
                && priorGuard != EmpiricalBayesPrior.Guard.VARIANCE_TOO_SMALL;
    }

    /**
     * A parent as the parents table holds it, for ranking a key against it (no VPC priors: the
     * incremental results of an hourly run refresh rank and drift only): its key count, its counters as
     * exact decimals ({@link SegmentSums#encodeCounters}), its CPM and its τ² as stored.
     *
     * @param cpm  the stored CPM, null without impressions
     * @param tau2 the τ² the full stage used for it, null when it had none
     */
    public static ParentModel stored(String parentKey, long keys, String counters, Double cpm, Double tau2) {
        return new ParentModel(parentKey, SegmentSums.ofCounters(keys, counters), cpm, null, null, null, false, tau2);
    }

    /**
     * A rank parent already chosen, as a key's result row names it (its key and CPM) with the τ² its keys used:
     * for {@link KeyResults#computeAgainst}, which does not choose (its sums are empty).
     */
    public static ParentModel chosen(String parentKey, double cpm, Double tau2) {
        return new ParentModel(parentKey, SegmentSums.EMPTY, cpm, null, null, null, false, tau2);
    }
}
