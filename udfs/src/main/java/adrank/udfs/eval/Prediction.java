package adrank.udfs.eval;

import adrank.udfs.rank.Rates;
import adrank.udfs.result.KeyResult;
import adrank.udfs.result.KeyResults;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.stats.Counters;
import java.time.LocalDate;
import java.util.List;

/**
 * One key's predictions as of day D by every predictor, beside what day D+1 realised: the row a
 * backtest scores.
 *
 * <p><b>Predictors</b> (index {@link #RANK}, {@link #RAW}, {@link #PARENT} of the arrays):
 * <ul>
 *   <li>CPM: the rank as {@link KeyResults#compute} gives it as of D; the raw CPM
 *       {@code rev / imps · 1000} of the key's total-to-limit as of D; the CPM of the parent the
 *       rank shrinks toward (its {@code parentCpm});</li>
 *   <li>CTR: the same shrinkage toward the parent with the fixed strength {@code rank.prior-strength}
 *       ({@code w = imps / (imps + k)}, reduced by drift as the rank's), {@code w·rawCtr + (1 − w)·parentCtr}
 *       (the rank's empirical-Bayes weight measures revenue noise: for a CPM-billed key it is near 1 and
 *       would call its few clicks certain); the raw clicks / impressions; the parent's;</li>
 *   <li>CVR (conversions per click): the VPC posterior mean {@code cvrShape / cvrRate} as of D;
 *       the raw conversions / clicks; the parent's.</li>
 * </ul>
 *
 * <p><b>Stand-ins.</b> The metrics never skip a prediction (see the package), so where a
 * predictor is undefined for a key it takes one stand-in, the same for every predictor: for the
 * CPM the rank's {@code parentCpm} (the parent CPM; 0 when the key has no usable parent, as in
 * the rank itself), for CTR and CVR the chosen parent's rate, 0 when that is undefined too. The
 * raw CPM is undefined without impressions as of D, the raw CTR without impressions, the raw CVR
 * without clicks, the model CVR when the key has no VPC (no parent with priors). So a key with
 * no impressions as of D is predicted the parent CPM by both the rank and the raw CPM.
 * {@link #rawCpmDefined} says which keys had a raw CPM of their own.
 *
 * @param day            D
 * @param key            the encoded key
 * @param history        the key's counters as of D (total-to-limit)
 * @param realised       day D+1's counters (zero when it has no entry)
 * @param cpm            predicted CPM per predictor, micros per thousand impressions
 * @param ctr            predicted clicks per impression per predictor; null when not predicted (a served
 *                       record holds no CTR): the rate metrics then leave the key out
 * @param cvr            predicted conversions per click per predictor; null when not predicted
 * @param rawCpmDefined  whether the key had impressions as of D
 * @param vpcLo          lower bound of the VPC credible interval as of D, null without a VPC
 * @param vpcHi          upper bound, null without a VPC
 */
public record Prediction(LocalDate day, String key, Counters history, Counters realised, double[] cpm,
        double[] ctr, double[] cvr, boolean rawCpmDefined, Double vpcLo, Double vpcHi)
        implements java.io.Serializable {

    /** Index of the rank (the model) in the predictor arrays. */
    public static final int RANK = 0;
    /** Index of the raw (the key's own) rates. */
    public static final int RAW = 1;
    /** Index of the parent segment's rates. */
    public static final int PARENT = 2;
    /** Predictor labels, by index. */
    public static final List<String> PREDICTORS = List.of("rank", "raw", "parent");

    /**
     * The predictions of a key as of {@code day}.
     *
     * @param asOf     the key's state as of D ({@link AsOfDay#history}), not empty
     * @param parents  the key's parent models as of D, in configured order (null where none)
     * @param settings the settings under test
     * @param day      D (drift's period and the day the VPC is brought to)
     * @param realised day D+1's counters
     * @throws adrank.udfs.rank.InvalidInputException on faulty counters
     */
    public static Prediction of(KeyState asOf, List<ParentModel> parents, RankSettings settings, LocalDate day,
            Counters realised) {
        return of(asOf, parents, settings, day, realised, null);
    }

    /**
     * The predictions with the empirical-Bayes prior strength ({@link KeyResults#compute} with a noise
     * model).
     *
     * @param noise the noise model of the key's noise segment as of D, or null for the fixed strength
     */
    public static Prediction of(KeyState asOf, List<ParentModel> parents, RankSettings settings, LocalDate day,
            Counters realised, adrank.udfs.result.NoiseModel noise) {
        KeyResult result = KeyResults.compute(asOf, parents, settings, day, day, noise);
        Counters h = asOf.rankCounters();
        ParentModel parent = null;
        for (ParentModel p : parents) {
            if (p != null && p.parentKey().equals(result.parentKey())) {
                parent = p;
                break;
            }
        }
        Counters pc = parent == null ? Counters.ZERO : parent.sums().counters();
        double parentCtr = orZero(Rates.ctr(pc.clicks(), pc.imps()));
        double parentCvr = orZero(Rates.cvr(pc.convs(), pc.clicks()));
        double standInCpm = result.parentCpm();
        Double rawCpm = Rates.cpm(h.revenueMicros(), h.imps());
        Double rawCtr = Rates.ctr(h.clicks(), h.imps());
        Double rawCvr = Rates.cvr(h.convs(), h.clicks());
        double raw = rawCtr == null ? parentCtr : rawCtr;
        // the CTR's shrinkage: the fixed strength (the empirical-Bayes weight of the CPM measures the noise of
        // revenue, which for a CPM-billed key says nothing of its clicks), reduced as the rank's by drift
        double ctrWeight = adrank.udfs.rank.Shrinkage.weight(h.imps(), settings.priorStrength())
                * (result.driftFlag() ? settings.drift().factor() : 1.0);
        double modelCtr = ctrWeight * raw + (1 - ctrWeight) * parentCtr;
        KeyResult.VpcPart vpc = result.vpc();
        double modelCvr = vpc == null || !(vpc.cvrRate() > 0) ? parentCvr : vpc.cvrShape() / vpc.cvrRate();
        return new Prediction(day, asOf.key(), h, realised,
                new double[] {result.rank(), rawCpm == null ? standInCpm : rawCpm, standInCpm},
                new double[] {modelCtr, raw, parentCtr},
                new double[] {modelCvr, rawCvr == null ? parentCvr : rawCvr, parentCvr},
                rawCpm != null, vpc == null ? null : vpc.lo(), vpc == null ? null : vpc.hi());
    }

    /**
     * The predictions a served snapshot entry made for day D+1, as published on D+1 (a served record): the
     * rank, the raw CPM (its stand-in, the parent CPM, when the key had no impressions) and the parent CPM; no
     * CTR or CVR (a snapshot holds none).
     *
     * @param day       D: the served day is D+1
     * @param key       the encoded key
     * @param history   the key's counters in the snapshot (total-to-limit plus today)
     * @param realised  day D+1's counters
     * @param rank      the served rank
     * @param cpm       the served raw CPM, null without impressions
     * @param parentCpm the served parent CPM
     * @param vpcLo     the served VPC interval's lower bound, or null
     * @param vpcHi     its upper bound, or null
     * @throws adrank.udfs.rank.InvalidInputException if a CPM is negative, NaN or infinite, or one interval bound
     *                                                is null without the other
     */
    public static Prediction served(LocalDate day, String key, Counters history, Counters realised, double rank,
            Double cpm, double parentCpm, Double vpcLo, Double vpcHi) {
        adrank.udfs.rank.Inputs.nonNegative("rank", rank);
        adrank.udfs.rank.Inputs.nonNegative("parentCpm", parentCpm);
        if (cpm != null) {
            adrank.udfs.rank.Inputs.nonNegative("cpm", cpm);
        }
        if ((vpcLo == null) != (vpcHi == null)) {
            throw new adrank.udfs.rank.InvalidInputException("vpc_lo (" + vpcLo + ") and vpc_hi (" + vpcHi
                    + ") must both be present or both absent");
        }
        return new Prediction(day, key, history, realised, new double[] {rank, cpm == null ? parentCpm : cpm,
            parentCpm}, null, null, cpm != null, vpcLo, vpcHi);
    }

    private static double orZero(Double rate) {
        return rate == null ? 0.0 : rate;
    }
}
