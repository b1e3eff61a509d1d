/**
 * Backtest metrics for {@code rank evaluate}: how well a key's prediction as of day D (rank,
 * raw CPM, parent CPM, CTR, CVR, VPC interval) foretells what day D+1 realised.
 *
 * <p>Every metric is a pure, immutable, {@link java.io.Serializable} accumulator (like
 * {@link adrank.udfs.vpc.RateMoments}): start from {@code empty(...)}, {@code add(...)} one key
 * (or one context group), {@code merge(...)} partial accumulators in any order (equal to adding
 * sequentially up to double rounding; counters and money are exact {@code long} sums that throw
 * {@link ArithmeticException} rather than wrap), then {@code result()}. A Spark job aggregates
 * per partition and merges, overall and per {@link adrank.udfs.eval.Buckets bucket}.
 *
 * <h2>Conventions</h2>
 * As in {@link adrank.udfs.rank.Rates}: counters arrive boxed so a SQL NULL is named; faulty data
 * (null, negative, NaN, infinite, {@code lo > hi}) raises
 * {@link adrank.udfs.rank.InvalidInputException}; bad parameters (a level outside (0, 1), a
 * {@code k < 1}, merging accumulators built with different parameters) raise
 * {@link IllegalArgumentException}. An undefined result is {@code null}, never NaN.
 *
 * <p><b>Predictions are never skipped.</b> A null prediction is an error, not a key to leave
 * out: two predictors compared on different keys are not comparable (the raw CPM is undefined
 * exactly on the thin keys where the rank differs most). The job decides, the same for every
 * predictor, which keys are scored and what stands in for an undefined baseline.
 *
 * <h2>The backtest's rows</h2>
 * {@link adrank.udfs.eval.AsOfDay} rebuilds a key's state as it stood right after the fold of day
 * D from the stored by-day history (and gives D+1's counters); {@link adrank.udfs.eval.Prediction}
 * computes every predictor on it (rank, raw and parent CPM; CTR; CVR) with the stand-in rule for
 * undefined baselines: <b>the parent's value, for every predictor</b> (the rank's
 * {@code parentCpm} for the CPM, 0 without a parent; the chosen parent's CTR/CVR, 0 where
 * undefined), so a key without impressions as of D is predicted the parent CPM by rank and raw
 * alike; {@link adrank.udfs.eval.Scorecard} holds every accumulator below per bucket and
 * predictor, mergeable as they are; {@link adrank.udfs.eval.Truth} is a generated key's truth.
 *
 * <h2>Definitions (and why)</h2>
 * <ul>
 *   <li><b>CPM error</b> ({@link adrank.udfs.eval.CpmErrors}): weight = realised impressions
 *       {@code n}, realised CPM {@code a = rev/n·1000}; {@code MAE = Σ n|p−a| / Σ n},
 *       {@code RMSE = √(Σ n(p−a)² / Σ n)}. Calibration = predicted / realised revenue =
 *       {@code Σ p·n/1000 / Σ rev}. A key with no realised impressions has no realised CPM: it
 *       is out of MAE/RMSE (its weight is 0 anyway) and predicts no revenue, but its realised
 *       (lagged CPC/CPA) revenue counts in the calibration's denominator: the CPM being judged
 *       is learnt from totals that hold such revenue too (revenue that arrives on days without
 *       impressions), so leaving it out would call every CPA-heavy segment over-predicted.
 *       That revenue and its keys are reported separately.</li>
 *   <li><b>CTR and CVR</b> ({@link adrank.udfs.eval.RateLogLoss}): both are rates per trial
 *       (clicks per impression, conversions per click) and a day may hold more events than
 *       trials (lagged clicks and conversions, view-through conversions). The loss is the
 *       negative log-likelihood of a Poisson process of rate {@code p} per trial observed over
 *       {@code n} trials with {@code y} events: {@code ℓ = n·p − y·ln p} (no {@code ln y!}: as
 *       Facebook's per-impression log loss, it scores the sequence of events, not their
 *       unordered count). It is defined for {@code y > n}; for ad-sized rates it equals the
 *       Bernoulli log loss {@code −y ln p − (n−y) ln(1−p)} up to {@code O(n·p²)}, so its NE is
 *       numerically He et al.'s (2014) NE (0.99197 vs 0.99186 on {@code EvalRateLogLossTest}'s
 *       example at CTR ≈ 1.5 %). Clipping CTR's clicks to impressions was rejected: it drops
 *       exactly the lagged clicks and so biases the realised rate low on the keys with lags.
 *       {@code NE = Σ ℓ(p_i) / Σ ℓ(p̄)} with the background rate {@code p̄ = Σy/Σn} (the best
 *       constant predictor), i.e. {@code Σℓ / (Y·(1 − ln p̄))}; below 1 beats the constant. A
 *       predicted rate below {@code minRate} (default 1e-6) is raised to it inside the logarithm
 *       only, so a raw rate of 0 followed by an event costs a finite {@code −ln 1e-6 ≈ 13.8}
 *       per event (such keys are counted). Keys without trials cannot be scored (no exposure),
 *       but their events count in the calibration {@code Σ n·p / Σ y}, as for the CPM.</li>
 *   <li><b>Ordering</b> ({@link adrank.udfs.eval.Ndcg}): within one context group, ads sorted
 *       by predicted CPM; gain = the ad's <em>realised CPM</em> (revenue per impression, linear
 *       gain, money-weighted), not its realised revenue: revenue also measures how much traffic
 *       the serving ranking gave the ad, so a revenue gain would reward reproducing yesterday's
 *       ranking. Ads without realised impressions have no realised CPM and are not judged.
 *       {@code NDCG@k = DCG@k / IDCG@k}, {@code DCG@k = Σ_{j≤k} g_j / log2(j+1)}; ties in the
 *       prediction (thin keys shrunk to one parent CPM tie often) give each tied position the
 *       mean gain of its tie block (McSherry &amp; Najork 2008), so the score does not depend on
 *       the row order. Top vs best = realised CPM of the top-ranked ad (mean of a tied top) /
 *       the best realised CPM. Groups are averaged weighted by their realised impressions;
 *       groups with fewer than two judged ads, or without revenue, are counted but not
 *       averaged.</li>
 *   <li><b>Coverage</b> ({@link adrank.udfs.eval.Coverage}): share of keys with
 *       {@code lo ≤ target ≤ hi}, its standard error under the nominal level
 *       {@code √(L(1−L)/n)}, the gap to the level and the z-score, so a report can say whether
 *       a gap of more than 3 points is real.</li>
 *   <li><b>Distributions for plots</b>: {@link adrank.udfs.eval.Reliability} (predicted vs
 *       realised amounts, e.g. revenue, by prediction level: fine {@link adrank.udfs.eval.LogBins}
 *       joined at the end into groups of about equal weight, deciles for 10) and
 *       {@link adrank.udfs.eval.RatioHistogram} (rank / raw CPM in log bins). They hold arrays
 *       of bins, so unlike the others they are mutable ({@code add}/{@code merge} change and
 *       return them, as {@link adrank.udfs.eval.Scorecard}); merging is exact but for the
 *       double sum of predictions.</li>
 * </ul>
 */
package adrank.udfs.eval;
