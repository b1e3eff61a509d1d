package adrank.udfs.eval;

import adrank.udfs.stats.Counters;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole backtest as one mergeable accumulator: every metric of this package, per predictor
 * ({@link Prediction#PREDICTORS}), overall and per {@link Buckets bucket}, plus how many keys were
 * scored per day. A Spark job adds its keys per partition and merges the partial scorecards.
 *
 * <p><b>Scopes.</b> {@link #NEXT_DAY}: against what day D+1 realised (CPM error and calibration,
 * CTR and CVR normalized entropy and calibration, ordering within context groups).
 * {@link #TRUTH}, only for keys with a {@link Truth}: the CPM error against the true CPM, weighted
 * like the next-day error by D+1's realised impressions (so both views judge the same keys with
 * the same weights; calibration = predicted / true revenue of those impressions), and the
 * coverage of the rank's VPC credible interval of the true VPC. The credible interval is one of
 * the long-run VPC, not a predictive interval of one day's value per click, so its coverage is
 * reported against the truth only.
 *
 * <p><b>Buckets.</b> {@code all}; the volume of the key's history as of D ({@code thin},
 * {@code medium}, {@code thick}); and volume × billing ({@code thin/cpc}) where the billing is
 * known (from the truth). Ordering is scored over context groups, which mix buckets: in
 * {@code all} only. <b>Segments</b> (optional): the same cells per parent segment of one level
 * (e.g. {@code geo:FR} of level {@code geo}), reported for the largest ones by D+1 impressions
 * and the rest as one ({@link #segments()}).
 *
 * <p><b>Distributions</b> for plots, over every key-day: {@link Reliability} diagrams per
 * predictor of the CPM (next day and against the truth), the CTR and the CVR; and per volume
 * bucket the {@link RatioHistogram} of rank / raw CPM.
 *
 * <p>Mutable (add and merge change it and return it), the usual form of a Spark aggregation
 * buffer; not thread-safe.
 */
public final class Scorecard implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Scope of the metrics against day D+1. */
    public static final String NEXT_DAY = "next_day";
    /** Scope of the metrics against the generator's truth. */
    public static final String TRUTH = "truth";
    /** The predictor name of the generator's true CPM in the next-day metrics (with a truth only). */
    public static final String TRUE_CPM = "true";
    /** The bucket of every key. */
    public static final String ALL = "all";

    private static final int N = Prediction.PREDICTORS.size();

    private final Buckets buckets;
    private final double level;
    private final int ndcgK;
    private final TreeMap<String, Cell> cells = new TreeMap<>();
    private Ndcg[] ndcg;
    private final TreeMap<LocalDate, Long> keysPerDay = new TreeMap<>();
    private final String segmentLevel;
    private final int segmentTop;
    private final TreeMap<String, Cell> segments = new TreeMap<>();
    private final Reliability[] cpmNext = new Reliability[N];
    private final Reliability[] cpmTruth = new Reliability[N];
    private final Reliability[] ctrReliability = new Reliability[N];
    private final Reliability[] cvrReliability = new Reliability[N];
    private final TreeMap<String, RatioHistogram> ratios = new TreeMap<>();

    /**
     * An empty scorecard without segments.
     *
     * @param buckets the volume thresholds
     * @param level   the VPC credible intervals' nominal level
     * @param ndcgK   the NDCG cut-off
     */
    public Scorecard(Buckets buckets, double level, int ndcgK) {
        this(buckets, level, ndcgK, null, 0);
    }

    /**
     * An empty scorecard.
     *
     * @param buckets      the volume thresholds
     * @param level        the VPC credible intervals' nominal level
     * @param ndcgK        the NDCG cut-off
     * @param segmentLevel the name of the segments' level (e.g. {@code geo,device}), null for none
     * @param segmentTop   how many segments {@link #segments()} reports on their own, {@code >= 1}
     *                     with a level
     * @throws IllegalArgumentException if a level is given with {@code segmentTop < 1}
     */
    public Scorecard(Buckets buckets, double level, int ndcgK, String segmentLevel, int segmentTop) {
        if (segmentLevel != null && segmentTop < 1) {
            throw new IllegalArgumentException("segmentTop (" + segmentTop + ") must be >= 1");
        }
        this.buckets = buckets;
        this.level = level;
        this.ndcgK = ndcgK;
        this.segmentLevel = segmentLevel;
        this.segmentTop = segmentTop;
        this.ndcg = new Ndcg[N];
        for (int i = 0; i < N; i++) {
            ndcg[i] = Ndcg.empty(ndcgK);
            cpmNext[i] = Reliability.cpm();
            cpmTruth[i] = Reliability.cpm();
            ctrReliability[i] = Reliability.rate();
            cvrReliability[i] = Reliability.rate();
        }
    }

    /** The metrics of one bucket. */
    public static final class Cell implements java.io.Serializable {

        private static final long serialVersionUID = 1L;

        final CpmErrors[] next = new CpmErrors[N];
        final CpmErrors[] truth = new CpmErrors[N];
        final RateLogLoss[] ctr = new RateLogLoss[N];
        final RateLogLoss[] cvr = new RateLogLoss[N];
        /** The generator's true CPM as a predictor of D+1 (keys with a truth only): the noise floor of the day. */
        CpmErrors trueNext = CpmErrors.EMPTY;
        Coverage vpc;
        long keys;
        long keysWithoutRawCpm;
        long truthKeys;
        long truthKeysWithoutVpc;

        Cell(double level) {
            for (int i = 0; i < N; i++) {
                next[i] = CpmErrors.EMPTY;
                truth[i] = CpmErrors.EMPTY;
                ctr[i] = RateLogLoss.empty();
                cvr[i] = RateLogLoss.empty();
            }
            vpc = Coverage.empty(level);
        }

        void add(Prediction p, Truth t) {
            keys++;
            keysWithoutRawCpm += p.rawCpmDefined() ? 0 : 1;
            long n = p.realised().imps();
            for (int i = 0; i < N; i++) {
                next[i] = next[i].add(p.cpm()[i], n, p.realised().revenueMicros());
                if (p.ctr() != null) {
                    ctr[i] = ctr[i].add(p.ctr()[i], p.realised().clicks(), n);
                }
                if (p.cvr() != null) {
                    cvr[i] = cvr[i].add(p.cvr()[i], p.realised().convs(), p.realised().clicks());
                }
                if (t != null) {
                    truth[i] = truth[i].add(p.cpm()[i], n, Math.round(t.cpmMicros() * n / 1000.0));
                }
            }
            if (t != null) {
                trueNext = trueNext.add(t.cpmMicros(), n, p.realised().revenueMicros());
                truthKeys++;
                if (p.vpcLo() == null) {
                    truthKeysWithoutVpc++;
                } else {
                    vpc = vpc.add(t.vpcMicros(), p.vpcLo(), p.vpcHi());
                }
            }
        }

        void merge(Cell o) {
            for (int i = 0; i < N; i++) {
                next[i] = next[i].merge(o.next[i]);
                truth[i] = truth[i].merge(o.truth[i]);
                ctr[i] = ctr[i].merge(o.ctr[i]);
                cvr[i] = cvr[i].merge(o.cvr[i]);
            }
            vpc = vpc.merge(o.vpc);
            trueNext = trueNext.merge(o.trueNext);
            keys += o.keys;
            keysWithoutRawCpm += o.keysWithoutRawCpm;
            truthKeys += o.truthKeys;
            truthKeysWithoutVpc += o.truthKeysWithoutVpc;
        }

        /** The next-day CPM errors of a predictor. */
        public CpmErrors.Result nextDay(int predictor) {
            return next[predictor].result();
        }

        /**
         * The next-day CPM errors of the generator's true CPM (over the keys with a truth): what a perfect
         * long-run predictor scores against one realised day — the floor the day's noise puts under every
         * predictor's error and the spread it puts around calibration 1.
         */
        public CpmErrors.Result trueCpmNextDay() {
            return trueNext.result();
        }

        /** The CPM errors against the truth of a predictor. */
        public CpmErrors.Result truth(int predictor) {
            return truth[predictor].result();
        }

        /** The CTR metrics of a predictor. */
        public RateLogLoss.Result ctr(int predictor) {
            return ctr[predictor].result();
        }

        /** The CVR metrics of a predictor. */
        public RateLogLoss.Result cvr(int predictor) {
            return cvr[predictor].result();
        }

        /** The coverage of the true VPC by the rank's credible intervals. */
        public Coverage.Result vpcCoverage() {
            return vpc.result();
        }

        /** Keys scored (key-days). */
        public long keys() {
            return keys;
        }

        /** Keys without impressions as of D (the raw CPM took the stand-in). */
        public long keysWithoutRawCpm() {
            return keysWithoutRawCpm;
        }

        /** Keys with a truth. */
        public long truthKeys() {
            return truthKeys;
        }

        /** Keys with a truth but no VPC interval (no parent with priors as of D). */
        public long truthKeysWithoutVpc() {
            return truthKeysWithoutVpc;
        }
    }

    /**
     * Adds one key-day.
     *
     * @param p     the key's predictions and realised counters
     * @param truth the key's truth, or null
     */
    public Scorecard add(Prediction p, Truth truth) {
        return add(p, truth, null);
    }

    /**
     * Adds one key-day.
     *
     * @param p       the key's predictions and realised counters
     * @param truth   the key's truth, or null
     * @param segment the key's segment of the scorecard's level (e.g. {@code geo:FR}), null
     *                without a level
     * @throws IllegalArgumentException if a segment is given without a level or none with one
     */
    public Scorecard add(Prediction p, Truth truth, String segment) {
        if ((segment == null) != (segmentLevel == null)) {
            throw new IllegalArgumentException("segment " + segment + " of a scorecard of segment level "
                    + segmentLevel);
        }
        Buckets.Billing billing = truth == null ? Buckets.Billing.UNKNOWN : truth.billing();
        Buckets.Bucket bucket = buckets.bucket(p.history().imps(), billing);
        cell(ALL).add(p, truth);
        cell(bucket.volume().label()).add(p, truth);
        if (billing != Buckets.Billing.UNKNOWN) {
            cell(bucket.label()).add(p, truth);
        }
        if (segment != null) {
            segments.computeIfAbsent(segment, n -> new Cell(level)).add(p, truth);
        }
        keysPerDay.merge(p.day(), 1L, Long::sum);
        Counters r = p.realised();
        for (int i = 0; i < N; i++) {
            cpmNext[i].add(p.cpm()[i], r.imps(), r.revenueMicros());
            if (p.ctr() != null) {
                ctrReliability[i].add(p.ctr()[i], r.imps(), r.clicks());
            }
            if (p.cvr() != null) {
                cvrReliability[i].add(p.cvr()[i], r.clicks(), r.convs());
            }
            if (truth != null) {
                cpmTruth[i].add(p.cpm()[i], r.imps(), Math.round(truth.cpmMicros() * r.imps() / 1000.0));
            }
        }
        ratios.computeIfAbsent(bucket.volume().label(), v -> new RatioHistogram())
                .add(p.cpm()[Prediction.RANK], p.rawCpmDefined() ? p.cpm()[Prediction.RAW] : null);
        return this;
    }

    /** Adds the ordering of one context group of one day (every predictor). */
    public Scorecard addGroup(List<Prediction> group) {
        for (int i = 0; i < N; i++) {
            List<Ndcg.Ad> ads = new ArrayList<>(group.size());
            for (Prediction p : group) {
                ads.add(new Ndcg.Ad(p.cpm()[i], p.realised().revenueMicros(), p.realised().imps()));
            }
            ndcg[i] = ndcg[i].add(ads);
        }
        return this;
    }

    /** Combines a partial scorecard into this one. */
    public Scorecard merge(Scorecard other) {
        if (!other.buckets.equals(buckets) || other.ndcgK != ndcgK
                || Double.compare(other.level, level) != 0 || other.segmentTop != segmentTop
                || !java.util.Objects.equals(other.segmentLevel, segmentLevel)) {
            throw new IllegalArgumentException("cannot merge scorecards of different parameters");
        }
        other.cells.forEach((name, cell) -> cell(name).merge(cell));
        other.segments.forEach((name, cell) -> segments.computeIfAbsent(name, n -> new Cell(level)).merge(cell));
        for (int i = 0; i < N; i++) {
            ndcg[i] = ndcg[i].merge(other.ndcg[i]);
            cpmNext[i].merge(other.cpmNext[i]);
            cpmTruth[i].merge(other.cpmTruth[i]);
            ctrReliability[i].merge(other.ctrReliability[i]);
            cvrReliability[i].merge(other.cvrReliability[i]);
        }
        other.ratios.forEach((v, h) -> ratios.computeIfAbsent(v, x -> new RatioHistogram()).merge(h));
        other.keysPerDay.forEach((d, n) -> keysPerDay.merge(d, n, Long::sum));
        return this;
    }

    private Cell cell(String name) {
        return cells.computeIfAbsent(name, n -> new Cell(level));
    }

    /** The buckets with keys, {@code all} first, then by name. */
    public Map<String, Cell> cells() {
        TreeMap<String, Cell> copy = new TreeMap<>((a, b) -> a.equals(b) ? 0 : ALL.equals(a) ? -1
                : ALL.equals(b) ? 1 : a.compareTo(b));
        copy.putAll(cells);
        return copy;
    }

    /** The segments' level ({@code geo,device}), null without segments. */
    public String segmentLevel() {
        return segmentLevel;
    }

    /** How many segments {@link #segments()} reports on their own. */
    public int segmentTop() {
        return segmentTop;
    }

    /** The label of the segments beyond the largest: {@code <level> (other)} (no key has a space). */
    public String otherSegments() {
        return segmentLevel + " (other)";
    }

    /**
     * The segments' cells: the {@link #segmentTop()} largest by D+1 impressions (ties by label),
     * largest first, then the rest merged into one cell labelled {@link #otherSegments()} (when
     * there is a rest). Empty without a segment level.
     */
    public Map<String, Cell> segments() {
        List<Map.Entry<String, Cell>> bySize = new ArrayList<>(segments.entrySet());
        bySize.sort(Comparator.comparingLong((Map.Entry<String, Cell> e) -> -e.getValue().nextDay(0).impressions())
                .thenComparing(Map.Entry::getKey));
        LinkedHashMap<String, Cell> out = new LinkedHashMap<>();
        Cell other = null;
        for (Map.Entry<String, Cell> e : bySize) {
            if (out.size() < segmentTop) {
                out.put(e.getKey(), e.getValue());
            } else {
                if (other == null) {
                    other = new Cell(level);
                }
                other.merge(e.getValue());
            }
        }
        if (other != null) {
            out.put(otherSegments(), other);
        }
        return out;
    }

    /** How many segments had keys. */
    public int segmentCount() {
        return segments.size();
    }

    /** The reliability diagram of a predictor's CPM against D+1's revenue. */
    public Reliability cpmReliability(int predictor) {
        return cpmNext[predictor];
    }

    /** The reliability diagram of a predictor's CPM against the true revenue of D+1's impressions. */
    public Reliability cpmTruthReliability(int predictor) {
        return cpmTruth[predictor];
    }

    /** The reliability diagram of a predictor's CTR against D+1's clicks. */
    public Reliability ctrReliability(int predictor) {
        return ctrReliability[predictor];
    }

    /** The reliability diagram of a predictor's CVR against D+1's conversions. */
    public Reliability cvrReliability(int predictor) {
        return cvrReliability[predictor];
    }

    /** Rank / raw CPM histograms per volume bucket ({@code thin}, {@code medium}, {@code thick}). */
    public Map<String, RatioHistogram> rankRawRatios() {
        return new TreeMap<>(ratios);
    }

    /** The ordering metrics of a predictor over every context group. */
    public Ndcg ordering(int predictor) {
        return ndcg[predictor];
    }

    /** Keys scored per day D. */
    public Map<LocalDate, Long> keysPerDay() {
        return new TreeMap<>(keysPerDay);
    }

    /**
     * One number of the report.
     *
     * @param scope     {@link #NEXT_DAY} or {@link #TRUTH}
     * @param bucket    the bucket label
     * @param predictor the predictor label ({@code rank}, {@code raw}, {@code parent})
     * @param metric    the metric's name; money in micros ({@code mae_micros})
     * @param value     the value, null when undefined
     */
    public record Metric(String scope, String bucket, String predictor, String metric, Number value) {
    }

    /**
     * Every number of the report, one per (scope, bucket, predictor, metric): the buckets, then
     * the reported {@link #segments()} (bucket = the segment's label).
     */
    public List<Metric> metrics() {
        List<Metric> out = new ArrayList<>();
        Map<String, Cell> all = new LinkedHashMap<>(cells());
        all.putAll(segments());
        for (Map.Entry<String, Cell> e : all.entrySet()) {
            String b = e.getKey();
            Cell c = e.getValue();
            for (int i = 0; i < N; i++) {
                String pr = Prediction.PREDICTORS.get(i);
                CpmErrors.Result r = c.nextDay(i);
                out.add(new Metric(NEXT_DAY, b, pr, "keys", c.keys()));
                out.add(new Metric(NEXT_DAY, b, pr, "impressions", r.impressions()));
                out.add(new Metric(NEXT_DAY, b, pr, "mae_micros", r.mae()));
                out.add(new Metric(NEXT_DAY, b, pr, "rmse_micros", r.rmse()));
                out.add(new Metric(NEXT_DAY, b, pr, "calibration", r.calibration()));
                out.add(new Metric(NEXT_DAY, b, pr, "revenue_micros", r.revenueMicros()));
                out.add(new Metric(NEXT_DAY, b, pr, "revenue_without_impressions_micros",
                        r.revenueWithoutImpressions()));
                RateLogLoss.Result ctr = c.ctr(i);
                out.add(new Metric(NEXT_DAY, b, pr, "ctr_ne", ctr.normalizedEntropy()));
                out.add(new Metric(NEXT_DAY, b, pr, "ctr_calibration", ctr.calibration()));
                RateLogLoss.Result cvr = c.cvr(i);
                out.add(new Metric(NEXT_DAY, b, pr, "cvr_ne", cvr.normalizedEntropy()));
                out.add(new Metric(NEXT_DAY, b, pr, "cvr_calibration", cvr.calibration()));
                if (i == Prediction.RAW) {
                    out.add(new Metric(NEXT_DAY, b, pr, "keys_without_raw_cpm", c.keysWithoutRawCpm()));
                }
                if (ALL.equals(b)) {
                    Ndcg.Result o = ndcg[i].result();
                    out.add(new Metric(NEXT_DAY, b, pr, "ndcg", o.ndcg()));
                    out.add(new Metric(NEXT_DAY, b, pr, "top_vs_best", o.topVsBest()));
                    out.add(new Metric(NEXT_DAY, b, pr, "ndcg_groups", o.groups()));
                }
                if (c.truthKeys() > 0) {
                    CpmErrors.Result t = c.truth(i);
                    out.add(new Metric(TRUTH, b, pr, "keys", c.truthKeys()));
                    out.add(new Metric(TRUTH, b, pr, "mae_micros", t.mae()));
                    out.add(new Metric(TRUTH, b, pr, "rmse_micros", t.rmse()));
                    out.add(new Metric(TRUTH, b, pr, "calibration", t.calibration()));
                    if (i == Prediction.RANK) {
                        Coverage.Result v = c.vpcCoverage();
                        out.add(new Metric(TRUTH, b, pr, "vpc_coverage", v.share()));
                        out.add(new Metric(TRUTH, b, pr, "vpc_nominal", v.nominal()));
                        out.add(new Metric(TRUTH, b, pr, "vpc_keys", v.keys()));
                        out.add(new Metric(TRUTH, b, pr, "vpc_keys_without_interval", c.truthKeysWithoutVpc()));
                    }
                }
            }
            if (c.truthKeys() > 0) {
                // the generator's true CPM against the same realised days: the noise floor of the next-day scope
                CpmErrors.Result t = c.trueCpmNextDay();
                out.add(new Metric(NEXT_DAY, b, TRUE_CPM, "mae_micros", t.mae()));
                out.add(new Metric(NEXT_DAY, b, TRUE_CPM, "rmse_micros", t.rmse()));
                out.add(new Metric(NEXT_DAY, b, TRUE_CPM, "calibration", t.calibration()));
            }
        }
        return out;
    }
}
