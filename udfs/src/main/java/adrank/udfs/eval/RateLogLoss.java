package adrank.udfs.eval;

import adrank.udfs.rank.Inputs;

/**
 * Mergeable accumulator of a predicted rate's normalized entropy and calibration: CTR (events =
 * clicks, trials = impressions) or CVR (events = conversions, trials = clicks).
 *
 * <p><b>The loss.</b> Both are rates, not probabilities: a day may hold more clicks than
 * impressions (lagged clicks) and more conversions than clicks (lagged and view-through
 * conversions), see the README's "Lagged counts are data". A key predicted at rate {@code p}
 * per trial that realised {@code y} events in {@code n} trials costs the negative
 * log-likelihood of a Poisson process of rate {@code p} over {@code n} trials,
 * <pre>
 *   ℓ(p; y, n) = n·p − y·ln p
 * </pre>
 * defined whatever {@code y} and {@code n} are. It leaves out {@code ln y!} (it scores the
 * sequence of events, as He et al.'s per-impression log loss scores the sequence of clicks),
 * and for small {@code p} it is the Bernoulli log loss {@code −y ln p − (n − y) ln(1 − p)} up to
 * {@code O(n·p²)}: at ad-sized rates its NE is the familiar one. Its minimum over a constant
 * rate is at {@code p̄ = Σy / Σn}, so
 * <pre>
 *   NE = Σ ℓ(p_i; y_i, n_i) / Σ ℓ(p̄; y_i, n_i) = Σ ℓ / (Y·(1 − ln p̄)),   Y = Σy
 * </pre>
 * below 1 beats the best constant rate (He et al. 2014, "Practical Lessons from Predicting Clicks
 * on Ads at Facebook"). {@code calibration = Σ n·p / Σ y} (predicted / realised events).
 *
 * <p><b>Floor.</b> A predicted rate below {@link #minRate} is raised to it inside the logarithm
 * only ({@code ℓ = n·p − y·ln max(p, minRate)}), so a raw rate of 0 followed by an event costs
 * {@code −ln minRate} per event instead of infinity; {@link #flooredKeys} counts the keys with
 * events where that happened. Choose {@code minRate} far below any background rate.
 *
 * <p><b>Keys without trials</b> ({@code n = 0}) cannot be scored (an event without exposure has
 * likelihood 0 under any rate) and are left out of the loss and of {@code p̄}; their events still
 * count in the calibration's {@code Σ y} (the predicted rates are learnt from totals that hold
 * such orphan events), and are reported apart.
 *
 * @param minRate            the floor inside the logarithm, in (0, 1)
 * @param keys               keys added
 * @param trials             {@code Σ n}
 * @param events             {@code Σ y} of the keys with trials
 * @param predictedEvents    {@code Σ n·p}
 * @param loss               {@code Σ ℓ}, may be negative (where {@code p > 1})
 * @param flooredKeys        keys with events whose predicted rate was below {@code minRate}
 * @param keysWithoutTrials  keys with {@code n = 0}
 * @param eventsWithoutTrials their {@code Σ y}
 */
public record RateLogLoss(double minRate, long keys, long trials, long events,
                          double predictedEvents, double loss, long flooredKeys,
                          long keysWithoutTrials, long eventsWithoutTrials)
    implements java.io.Serializable {

    /** The default floor: one event per million trials, below any ad's CTR or CVR. */
    public static final double DEFAULT_MIN_RATE = 1e-6;

    /**
     * @throws IllegalArgumentException                if {@code minRate} is not in (0, 1)
     * @throws adrank.udfs.rank.InvalidInputException if a count or sum is negative, NaN or
     *                                                infinite, or a part exceeds its whole
     */
    public RateLogLoss {
        Inputs.parameter("minRate", minRate, 0, false, 1, false);
        Inputs.count("keys", keys);
        Inputs.count("trials", trials);
        Inputs.count("events", events);
        Inputs.nonNegative("predictedEvents", predictedEvents);
        Checks.finite("loss", loss);
        Inputs.count("flooredKeys", flooredKeys);
        Inputs.count("keysWithoutTrials", keysWithoutTrials);
        Inputs.count("eventsWithoutTrials", eventsWithoutTrials);
        Checks.atMost("keysWithoutTrials", keysWithoutTrials, "keys", keys);
        Checks.atMost("flooredKeys", flooredKeys, "keys", keys);
    }

    /** No keys, floor {@link #DEFAULT_MIN_RATE}. */
    public static RateLogLoss empty() {
        return empty(DEFAULT_MIN_RATE);
    }

    /**
     * No keys.
     *
     * @param minRate the floor inside the logarithm, in (0, 1)
     * @throws IllegalArgumentException if {@code minRate} is not in (0, 1)
     */
    public static RateLogLoss empty(double minRate) {
        return new RateLogLoss(minRate, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Adds one key.
     *
     * @param predictedRate the rate predicted as of day D (events per trial, may exceed 1)
     * @param events        day D+1's events (clicks, or conversions), may exceed trials
     * @param trials        day D+1's trials (impressions, or clicks)
     * @throws adrank.udfs.rank.InvalidInputException on a null, negative, NaN or infinite value
     * @throws ArithmeticException                    if a {@code long} sum overflows
     */
    public RateLogLoss add(Double predictedRate, Long events, Long trials) {
        double p = Inputs.nonNegative("predictedRate", predictedRate);
        long y = Inputs.count("events", events);
        long n = Inputs.count("trials", trials);
        if (n == 0) {
            return new RateLogLoss(minRate, keys + 1, this.trials, this.events, predictedEvents,
                loss, flooredKeys, keysWithoutTrials + 1, Math.addExact(eventsWithoutTrials, y));
        }
        boolean floored = y > 0 && p < minRate;
        double keyLoss = n * p - (y == 0 ? 0.0 : y * Math.log(Math.max(p, minRate)));
        return new RateLogLoss(minRate, keys + 1, Math.addExact(this.trials, n),
            Math.addExact(this.events, y), predictedEvents + n * p, loss + keyLoss,
            flooredKeys + (floored ? 1 : 0), keysWithoutTrials, eventsWithoutTrials);
    }

    /**
     * Combines two partial accumulators (any order, equal up to rounding).
     *
     * @throws IllegalArgumentException if {@code other} is null or has another {@code minRate}
     * @throws ArithmeticException      if a {@code long} sum overflows
     */
    public RateLogLoss merge(RateLogLoss other) {
        Checks.other(other);
        Checks.sameParameter("minRate", minRate, other.minRate);
        return new RateLogLoss(minRate, Math.addExact(keys, other.keys),
            Math.addExact(trials, other.trials), Math.addExact(events, other.events),
            predictedEvents + other.predictedEvents, loss + other.loss,
            Math.addExact(flooredKeys, other.flooredKeys),
            Math.addExact(keysWithoutTrials, other.keysWithoutTrials),
            Math.addExact(eventsWithoutTrials, other.eventsWithoutTrials));
    }

    /** The metrics; see {@link Result}. */
    public Result result() {
        Double backgroundRate = trials == 0 ? null : (double) events / trials;
        Double logLoss = trials == 0 ? null : loss / trials;
        Double backgroundLogLoss = null;
        if (trials > 0) {
            // Σ ℓ(p̄) = p̄·N − Y·ln p̄ = Y·(1 − ln p̄); 0 when Y = 0 (p̄ = 0 predicts no event)
            backgroundLogLoss = events == 0 ? 0.0
                : events * (1 - Math.log(backgroundRate)) / trials;
        }
        Double ne = backgroundLogLoss == null || !(backgroundLogLoss > 0) ? null
            : logLoss / backgroundLogLoss;
        long allEvents = Math.addExact(events, eventsWithoutTrials);
        Double calibration = allEvents == 0 ? null : predictedEvents / allEvents;
        return new Result(keys, trials, events, backgroundRate, logLoss, backgroundLogLoss, ne,
            predictedEvents, calibration, flooredKeys, keysWithoutTrials, eventsWithoutTrials);
    }

    /**
     * The rate metrics of the keys added.
     *
     * @param keys                keys added
     * @param trials              trials of the scored keys
     * @param events              events of the scored keys (keys with trials)
     * @param backgroundRate      {@code p̄ = events / trials}; null without trials
     * @param logLoss             mean loss per trial {@code Σℓ / Σn}; null without trials
     * @param backgroundLogLoss   the same for the constant {@code p̄}; null without trials
     * @param normalizedEntropy   {@code logLoss / backgroundLogLoss}; null without trials or
     *                            events (no constant to beat), or where {@code p̄ ≥ e} makes the
     *                            background loss {@code <= 0}
     * @param predictedEvents     {@code Σ n·p}
     * @param calibration         predicted / realised events, keys without trials included;
     *                            null without events
     * @param flooredKeys         keys with events whose rate was raised to {@code minRate}
     * @param keysWithoutTrials   keys not scored (no trials)
     * @param eventsWithoutTrials their events (in the calibration only)
     */
    public record Result(long keys, long trials, long events, Double backgroundRate,
                         Double logLoss, Double backgroundLogLoss, Double normalizedEntropy,
                         double predictedEvents, Double calibration, long flooredKeys,
                         long keysWithoutTrials, long eventsWithoutTrials)
        implements java.io.Serializable {
    }
}
