package adrank.udfs.result;

import adrank.udfs.rank.Drift;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.rank.RankEstimate;
import adrank.udfs.rank.Shrinkage;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.vpc.RatePosterior;
import adrank.udfs.vpc.ValuePosterior;
import adrank.udfs.vpc.Vpc;
import adrank.udfs.vpc.VpcEstimate;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A key's result row from its stored statistics and its parents: the pure function the jobs
 * apply to every key.
 */
public final class KeyResults {

    private KeyResults() {
    }

    /**
     * Computes the result.
     *
     * <p>Counts arrive lagged (a conversion days after its click, some with no click, a click in
     * a later hour than its impression), so any period may have conversions &gt; clicks or
     * clicks &gt; impressions: every model here is defined for it (conversions per click is a
     * Gamma–Poisson rate, see {@link RatePosterior}; the CPM needs only impressions). Only
     * what no world produces is faulty: negative counts (refused by {@link Counters}), and
     * revenue or value without any event that could carry it.
     *
     * @param state    the key's statistics; must not be {@link KeyState#isEmpty() empty}
     * @param parents  the key's parent segments in configured order (the global segment last); an
     *                 element is null when that parent has no row
     * @param settings the parameters
     * @param period   the day of the period the run just applied (an hourly run's day, or the
     *                 folded day): drift compares the key's counters of that period with its
     *                 total, and an idle key had zero activity in it
     * @param vpcAsOf  the day the VPC posterior is brought to (the folded day), or null to skip
     *                 the VPC (hourly runs refresh only rank and drift)
     * @throws InvalidInputException on faulty counters (revenue without any event, value
     *                               without conversions)
     */
    public static KeyResult compute(KeyState state, List<ParentModel> parents, RankSettings settings,
            LocalDate period, LocalDate vpcAsOf) {
        return compute(state, parents, settings, period, vpcAsOf, null);
    }

    /**
     * The result with the empirical-Bayes prior strength of {@link #priorStrength} when {@code noise}
     * is given and the rank's parent has a between-key variance; else the fixed
     * {@code rank.prior-strength}.
     *
     * @param noise the noise model of the key's noise segment, or null
     */
    public static KeyResult compute(KeyState state, List<ParentModel> parents, RankSettings settings,
            LocalDate period, LocalDate vpcAsOf, NoiseModel noise) {
        requireResult(state);
        ParentModel rankParent = choose(parents, settings.parentMinImpressions(), false);
        KeyResult.VpcPart vpc = null;
        if (vpcAsOf != null) {
            ParentModel vpcParent = choose(parents, settings.parentMinImpressions(), true);
            if (vpcParent != null) {
                vpc = vpc(state, vpcParent, settings, vpcAsOf);
            }
        }
        return rank(state, rankParent, settings, period, noise, vpc);
    }

    /**
     * The rank and drift (no VPC) of a key against a rank parent already chosen — by {@link ParentChoice} over the
     * same parents, as a full result stage chose it (an incremental hour's known keys, whose parents did not
     * change since): equal to {@link #compute} with those parents and no VPC.
     *
     * @param rankParent the chosen parent (its key, CPM and τ² are used), or null when none qualified
     */
    public static KeyResult computeAgainst(KeyState state, ParentModel rankParent, RankSettings settings,
            LocalDate period, NoiseModel noise) {
        requireResult(state);
        return rank(state, rankParent, settings, period, noise, null);
    }

    private static void requireResult(KeyState state) {
        if (state.isEmpty()) {
            throw new IllegalArgumentException("key " + state.key() + " has no data; it has no result");
        }
        requirePossible("total + open days", state.rankCounters());
        for (DayStat day : state.byDay().entries()) {
            requirePossible("day " + day.day(), day.counters());
        }
    }

    private static KeyResult rank(KeyState state, ParentModel rankParent, RankSettings settings, LocalDate period,
            NoiseModel noise, KeyResult.VpcPart vpc) {
        Counters c = state.rankCounters();
        double parentCpm = rankParent == null || rankParent.cpm() == null ? 0.0 : rankParent.cpm();
        Double drift = null;
        if (state.total() != null) {
            Counters recent = state.periodCounters(period);
            Counters reference = state.total().counters();
            drift = Drift.zScore(recent.convs(), recent.clicks(), reference.convs(), reference.clicks());
        }
        double k = priorStrength(c, parentCpm, rankParent == null ? null : rankParent.betweenKeyVariance(), noise,
                settings);
        RankEstimate estimate = Shrinkage.estimate(c.revenueMicros(), c.imps(), parentCpm, k, drift, settings.drift());
        return new KeyResult(estimate.cpm(), estimate.weight(), rankParent == null ? "" : rankParent.parentKey(),
                parentCpm, estimate.rank(), estimate.drift(), estimate.driftFlagged(), vpc);
    }

    /** Bounds of the empirical-Bayes prior strength, in impressions (k = 0 or ∞ are not weights). */
    static final double MIN_PRIOR_STRENGTH = 1e-6;
    static final double MAX_PRIOR_STRENGTH = 1e12;

    /**
     * The prior strength k of a key, in impressions. Empirical Bayes when both the noise of the key's
     * revenue and the spread of its parent's keys are known: the true CPMs of the parent's keys spread
     * with variance τ² around the parent's CPM μ, a key's CPM over n impressions has sampling variance
     * {@code relativeVariance · θ² / n} ({@link NoiseModel}) at its true CPM θ, and the posterior mean puts
     * weight {@code τ² / (τ² + relativeVariance · θ² / n)} on the key's own CPM, i.e.
     * <pre>
     *   k = relativeVariance · θ̂² / τ²,   θ̂ = max(pilot, μ)   ({@link #noiseLevel})
     * </pre>
     * τ² = 0 gives the parent's CPM (k capped at 10¹²; the result stage borrows the level's spread first,
     * {@link RelativeSpread}); θ̂ = 0 (no revenue in the key or its parent) leaves nothing to shrink (the
     * smallest k). Without a noise model or τ², the fixed {@code rank.prior-strength}.
     */
    public static double priorStrength(Counters c, double parentCpm, Double betweenKeyVariance, NoiseModel noise,
            RankSettings settings) {
        if (noise == null || betweenKeyVariance == null) {
            return settings.priorStrength();
        }
        double level = noiseLevel(c, parentCpm, settings);
        double k = betweenKeyVariance > 0 ? noise.relativeVariance() * level * level / betweenKeyVariance
                : Double.POSITIVE_INFINITY;
        if (level == 0) {
            k = MIN_PRIOR_STRENGTH;
        }
        return Math.min(MAX_PRIOR_STRENGTH, Math.max(MIN_PRIOR_STRENGTH, k));
    }

    /**
     * θ̂, the CPM at which a key's sampling variance is taken: its pilot (its rank with the fixed
     * {@code rank.prior-strength}), but never below its parent's CPM μ.
     *
     * <p>Why both: the variance grows with θ², and θ is what is being estimated. The pilot alone (the
     * first version) called a key that had not earned yet nearly noiseless — a CPA key before its first
     * conversion kept its 0, one after it was pulled far down — so CPA keys came out at 0.80 of their
     * true revenue (medium CPA keys of the 7-day set). μ alone (the expected θ²-free variance of a key
     * of the parent) is linear shrinkage, calibrated, but a thin CPA key with one lucky conversion (one
     * $20 conversion on 64 impressions: a raw CPM of $305 against a true $1.44) keeps 2 % of it, $6:
     * on the thinner set thin CPA keys' RMSE against the truth was 2.9× the parent's. max(pilot, μ)
     * shrinks the lucky key by its own size and the not-yet-converted key by its parent's.
     */
    static double noiseLevel(Counters c, double parentCpm, RankSettings settings) {
        return Math.max(Shrinkage.rank(c.revenueMicros(), c.imps(), parentCpm, settings.priorStrength()), parentCpm);
    }

    /**
     * The key's term in its parent's {@link BetweenKeySums}: its CPM and that CPM's sampling variance
     * {@code relativeVariance · θ̂² / n} ({@link #noiseLevel}), or null when it has none (no impressions, no
     * noise model, or θ̂ = 0: no revenue in the key or its parent).
     *
     * @param parentCpm the CPM of the parent the key's rank would use ({@link #rankParent})
     */
    public static BetweenKeySums betweenKeyTerm(KeyState state, double parentCpm, NoiseModel noise,
            RankSettings settings) {
        Counters c = state.rankCounters();
        if (noise == null || c.imps() == 0) {
            return null;
        }
        double level = noiseLevel(c, parentCpm, settings);
        double variance = noise.relativeVariance() * level * level / c.imps();
        if (!(variance > 0) || !Double.isFinite(variance)) {
            return null;
        }
        return BetweenKeySums.of((double) c.revenueMicros() / c.imps() * 1000.0, variance);
    }

    /** The parent the key's rank shrinks toward (null when none exists), by {@link ParentChoice}. */
    public static ParentModel rankParent(List<ParentModel> parents, RankSettings settings) {
        return choose(parents, settings.parentMinImpressions(), false);
    }

    /**
     * Money needs an event to carry it: revenue is booked on impressions, clicks or conversions
     * (CPM, CPC, CPA billing), value on conversions. Anything else no world produces.
     */
    static void requirePossible(String period, Counters c) {
        if (c.revenueMicros() > 0 && c.imps() == 0 && c.clicks() == 0 && c.convs() == 0) {
            throw new InvalidInputException(period + ": revenueMicros (" + c.revenueMicros()
                    + ") > 0 without any impression, click or conversion");
        }
        if (c.valueMicros() > 0 && c.convs() == 0) {
            throw new InvalidInputException(period + ": valueMicros (" + c.valueMicros()
                    + ") > 0 without any conversion");
        }
    }

    /**
     * The first parent with enough impressions (and, for the VPC, both priors); the last one
     * (the global segment) when none qualifies but it exists. The rank's choice is
     * {@link ParentChoice}, the rule the ad servers' reader applies too.
     */
    static ParentModel choose(List<ParentModel> parents, long minImpressions, boolean forVpc) {
        if (!forVpc) {
            int chosen = ParentChoice.choose(parents.size(), i -> parents.get(i) != null && parents.get(i).cpm() != null,
                    i -> parents.get(i).sums().counters().imps(), minImpressions);
            return chosen == ParentChoice.NONE ? null : parents.get(chosen);
        }
        for (ParentModel parent : parents) {
            if (parent != null && parent.usableForVpc(minImpressions)) {
                return parent;
            }
        }
        ParentModel global = parents.isEmpty() ? null : parents.get(parents.size() - 1);
        if (global == null) {
            return null;
        }
        return global.cvrPrior() != null && global.valuePrior() != null ? global : null;
    }

    /**
     * The VPC posterior, recomputed from the whole by-day history (oldest first) so that a
     * re-run of a day never applies that day twice: starting from the parent's priors, each
     * day's counters update the posterior with forgetting λ, days without data age it, and the
     * result is aged to {@code asOf}. The anchored form is used (only the evidence is forgotten,
     * the prior keeps its weight), see {@link RatePosterior#updateAnchored}.
     */
    static KeyResult.VpcPart vpc(KeyState state, ParentModel parent, RankSettings settings, LocalDate asOf) {
        RatePosterior cvrPrior = parent.cvrPrior();
        ValuePosterior valuePrior = parent.valuePrior();
        RatePosterior cvr = cvrPrior;
        ValuePosterior value = valuePrior;
        double lambda = settings.forgetting();
        List<DayStat> days = state.byDay().entries();
        LocalDate previous = null;
        for (int i = days.size() - 1; i >= 0; i--) {
            DayStat day = days.get(i);
            if (previous != null) {
                int gap = (int) ChronoUnit.DAYS.between(previous, day.day()) - 1;
                if (gap > 0) {
                    cvr = cvr.decayAnchored(cvrPrior, lambda, gap);
                    value = value.decayAnchored(valuePrior, lambda, gap);
                }
            }
            Counters dc = day.counters();
            cvr = cvr.updateAnchored(cvrPrior, dc.convs(), dc.clicks(), lambda);
            value = value.updateAnchored(valuePrior, dc.convs(), dc.valueMicros(), lambda);
            previous = day.day();
        }
        if (previous != null && asOf.isAfter(previous)) {
            int age = (int) ChronoUnit.DAYS.between(previous, asOf);
            cvr = cvr.decayAnchored(cvrPrior, lambda, age);
            value = value.decayAnchored(valuePrior, lambda, age);
        }
        VpcEstimate estimate = Vpc.estimate(cvr, value, settings.credibleLevel());
        return new KeyResult.VpcPart(parent.parentKey(), estimate.mean(), estimate.lo(), estimate.hi(), cvr.shape(),
                cvr.rate(), value.shape(), value.rate());
    }
}
