package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.EvaluateJob;
import adrank.jobs.pipeline.EvaluateReport;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.eval.TruthFile;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.Coverage;
import adrank.udfs.eval.CpmErrors;
import adrank.udfs.eval.Prediction;
import adrank.udfs.eval.Scorecard;
import adrank.udfs.eval.Truth;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The empirical-Bayes rank (the default estimator) on six generated days with CPM-, CPC- and CPA-billed
 * ads and lagged conversions: every stored rank equals a re-computation written here from the stored
 * by-day counters with plain arithmetic (no adrank function), and against the generator's truth the rank
 * is at least as close as the better of the raw and the parent CPM in every bucket of 200+ key-days —
 * a bar the fixed prior strength misses by a wide margin on the CPM-billed keys.
 *
 * <p>The generator writes full 24-hour days (its late arrivals assume the whole diurnal curve ran); to
 * keep the test short each day's 24 hour partitions are moved into the day's hour 00 (the partition, not
 * the timestamp, decides the hour an event counts in), so a day costs one hourly and one daily run.
 */
@ExtendWith(AdrankStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EstimatorIT {

    private static final LocalDate START = LocalDate.of(2026, 7, 1);
    private static final int DAYS = 6;
    /**
     * The truth bars hold within 2 % plus a tenth of a cent per thousand impressions: on CPM-billed keys the raw
     * CPM is nearly the truth already (one price's noise over the key's impressions), the posterior mean can gain
     * well under 1 % there, and it measured up to 3 % above the raw CPM's error, $0.0011 (medium/cpm RMSE $0.0361
     * vs $0.0349); the fixed prior strength is 10-20x the raw CPM's error there.
     */
    private static final double MARGIN = 1.02;
    private static final double TIE_MICROS = 1_000;
    private static final int MIN_BUCKET_KEYS = 200;

    private RunContext ctx;
    private final Map<String, StoredRow> rows = new TreeMap<>();
    private Map<String, Truth> truth;
    private EvaluateJob.Outcome empiricalBayes;
    private EvaluateJob.Outcome fixed;

    @BeforeAll
    void runSixDaysAndEvaluate(AdrankStack.Services stack) throws Exception {
        ctx = stack.newContext("estimator", Map.of("input.source", "path"));
        Path generated = Files.createTempDirectory("estimator-gen");
        GeneratorSettings settings = GeneratorSettings.builder().seed(13).startDay(START).days(DAYS).hoursPerDay(24)
                .eventsPerHour(2_500).keys(2_000).adServers(1).build();
        EventGenerator.generate(settings, generated, null);
        Path input = Path.of(ctx.config().input().path());
        for (int d = 0; d < DAYS; d++) {
            oneHourPerDay(generated, input, START.plusDays(d));
        }
        Files.createDirectories(input.resolve("truth"));
        Files.copy(generated.resolve("truth").resolve("keys.tsv"), input.resolve("truth").resolve("keys.tsv"));
        for (int d = 0; d < DAYS; d++) {
            HourlyJob.run(ctx, new HourId(START.plusDays(d), 0));
            DailyJob.run(ctx, START.plusDays(d));
        }
        new RankRows(ctx.hbase(), ctx.schema()).forEach(row -> rows.put(row.key(), row));
        truth = TruthFile.read(input.resolve("truth").resolve("keys.tsv"), ctx.config().key().dimensions(),
                ctx.config().key().separator());
        // D = days 3..5, realised 4..6 (the first days are the estimator's history)
        empiricalBayes = EvaluateJob.run(ctx, START.plusDays(2), START.plusDays(DAYS - 1), truth, Buckets.DEFAULT);
        EvaluateReport.table(empiricalBayes, System.out);
        try (RunContext fixedK = new RunContext(ctx.config().with("rank.estimator", "fixed"))) {
            fixed = EvaluateJob.run(fixedK, START.plusDays(2), START.plusDays(DAYS - 1), truth, Buckets.DEFAULT);
        }
        EvaluateReport.table(fixed, System.out);
    }

    /** Moves the 24 hour partitions of a generated day into one partition, hour 00 of the input. */
    private static void oneHourPerDay(Path generated, Path input, LocalDate day) throws IOException {
        Path target = input.resolve("t_raw_events").resolve("dt=" + day).resolve("hr=00");
        Files.createDirectories(target);
        try (Stream<Path> hours = Files.list(generated.resolve("t_raw_events").resolve("dt=" + day))) {
            for (Path hour : hours.sorted().toList()) {
                try (Stream<Path> files = Files.list(hour)) {
                    for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("_")).toList()) {
                        Files.copy(file, target.resolve(hour.getFileName() + "-" + file.getFileName()));
                    }
                }
            }
        }
        Files.createFile(target.resolve("_SUCCESS"));
    }

    @AfterAll
    void close() throws Exception {
        ctx.close();
    }

    /** A key's counters over the days its total counts (no day is open after a daily run). */
    private static List<Counters> rankDays(StoredRow row) {
        List<Counters> days = new ArrayList<>();
        int counted = row.total() == null ? 0 : row.total().days();
        for (DayStat entry : row.byDay().entries()) {
            if (days.size() == counted) {
                break;
            }
            days.add(entry.counters());
        }
        return days;
    }

    private static long count(Counters c, int event) {
        return event == 0 ? c.imps() : event == 1 ? c.clicks() : c.convs();
    }

    private static Counters sum(List<Counters> days) {
        long[] s = new long[4];
        for (Counters c : days) {
            s[0] += c.imps();
            s[1] += c.clicks();
            s[2] += c.convs();
            s[3] += c.revenueMicros();
        }
        return new Counters(s[0], s[1], s[2], s[3], 0);
    }

    /**
     * Every stored rank and weight re-computed from the stored by-day counters, written out here: the
     * billed event of each ad (the event type whose daily counts explain its keys' revenue best), its
     * relative noise, the parents' CPMs, each key's pilot (the fixed-k rank) floored at its parent's CPM, the
     * spread of the keys around their parent's CPM (a parent without one borrows its level's relative spread),
     * and k = noise · level² / spread.
     */
    @Test
    void everyStoredRankIsTheEmpiricalBayesRankRecomputedFromTheCounters() {
        double fixedK = ctx.config().rank().settings().priorStrength();
        long minImps = ctx.config().rank().settings().parentMinImpressions();
        List<List<String>> segments = ctx.config().rank().parents();
        ParentKeys parentKeys = new ParentKeys(ctx.config().key().dimensions(), ctx.config().key().separator());
        // per ad: dispersion sums and day counts per event type, keys lacking the event, counters
        Map<String, double[]> ads = new HashMap<>(); // {disp0, disp1, disp2, days0, days1, days2, imp0, imp1, imp2, N, C, V}
        Map<String, long[]> segmentSums = new HashMap<>(); // parent key -> {imps, rev}
        for (StoredRow row : rows.values()) {
            List<Counters> days = rankDays(row);
            Counters total = sum(days);
            String ad = parentKeys.of(row.key(), List.of("ad_id"));
            double[] a = ads.computeIfAbsent(ad, x -> new double[12]);
            a[9] += total.imps();
            a[10] += total.clicks();
            a[11] += total.convs();
            if (total.revenueMicros() > 0) {
                for (int e = 0; e < 3; e++) {
                    if (count(total, e) == 0) {
                        a[6 + e]++;
                        continue;
                    }
                    double price = (double) total.revenueMicros() / count(total, e);
                    for (Counters day : days) {
                        if (count(day, e) == 0 && day.revenueMicros() == 0) {
                            continue;
                        }
                        double residual = (day.revenueMicros() - count(day, e) * price) / price;
                        a[e] += residual * residual / Math.max(count(day, e), 1);
                        a[3 + e]++;
                    }
                }
            }
            for (List<String> segment : segments) {
                long[] s = segmentSums.computeIfAbsent(parentKeys.of(row.key(), segment), x -> new long[2]);
                s[0] += total.imps();
                s[1] += total.revenueMicros();
            }
        }
        Map<String, Double> relativeNoise = new HashMap<>();
        Map<String, Integer> billedEvent = new HashMap<>();
        ads.forEach((ad, a) -> {
            int best = -1;
            for (int e = 0; e < 3; e++) {
                if (a[3 + e] == 0) {
                    continue;
                }
                if (best < 0 || a[6 + e] < a[6 + best]
                        || (a[6 + e] == a[6 + best] && a[e] / a[3 + e] < a[best] / a[3 + best])) {
                    best = e;
                }
            }
            double events = best < 0 ? 0 : best == 0 ? a[9] : best == 1 ? a[10] : a[11];
            if (best >= 0 && a[9] > 0 && events > 0) {
                double c2 = a[best] / a[3 + best];
                relativeNoise.put(ad, best == 0 ? c2 : (1 + c2) / (events / a[9]));
                billedEvent.put(ad, best);
            }
        });
        // the inferred billing is the generator's for every ad with revenue
        Map<String, Buckets.Billing> truthBilling = new HashMap<>();
        truth.forEach((key, t) -> truthBilling.put(parentKeys.of(key, List.of("ad_id")), t.billing()));
        billedEvent.forEach((ad, e) -> assertThat(List.of(Buckets.Billing.CPM, Buckets.Billing.CPC,
                Buckets.Billing.CPA).get(e)).as("billing of %s", ad).isEqualTo(truthBilling.get(ad)));
        assertThat(billedEvent).hasSizeGreaterThan(20);
        // each key's parent, noise level (its pilot, at least its parent's CPM) and term of its parent's spread
        Map<String, String> parentOf = new HashMap<>();
        Map<String, Double> levelOf = new HashMap<>();
        Map<String, double[]> spread = new HashMap<>(); // parent -> {Σw, Σw·y, Σw·y², K}
        for (StoredRow row : rows.values()) {
            Counters total = sum(rankDays(row));
            String parent = null;
            for (List<String> segment : segments) {
                String key = parentKeys.of(row.key(), segment);
                long[] s = segmentSums.get(key);
                if (s[0] > 0 && (s[0] >= minImps || segment.isEmpty())) {
                    parent = key;
                    break;
                }
            }
            long[] p = segmentSums.get(parent);
            double parentCpm = (double) p[1] / p[0] * 1000;
            double pilot = (total.revenueMicros() + fixedK * parentCpm / 1000) / (total.imps() + fixedK) * 1000;
            double level = Math.max(pilot, parentCpm);
            parentOf.put(row.key(), parent);
            levelOf.put(row.key(), level);
            Double noise = relativeNoise.get(parentKeys.of(row.key(), List.of("ad_id")));
            if (noise != null && total.imps() > 0 && level > 0) {
                double variance = noise * level * level / total.imps();
                double y = (double) total.revenueMicros() / total.imps() * 1000;
                double[] t = spread.computeIfAbsent(parent, x -> new double[4]);
                t[0] += 1 / variance;
                t[1] += y / variance;
                t[2] += y * y / variance;
                t[3]++;
            }
        }
        // τ² per parent: (Q - K) / Σw, at least 0; a parent at 0 borrows its level's pooled relative spread
        // ρ² = Σ(Q - K) / Σ(μ²·Σw) times μ²
        Map<String, Double> tau2Of = new HashMap<>();
        Map<String, double[]> levels = new HashMap<>(); // level -> {Σ(Q - K), Σ(μ²·Σw + K)}
        spread.forEach((parent, t) -> {
            long[] p = segmentSums.get(parent);
            double mu = (double) p[1] / p[0] * 1000;
            double q = t[2] - 2 * mu * t[1] + mu * mu * t[0];
            tau2Of.put(parent, Math.max(0, (q - t[3]) / t[0]));
            double[] l = levels.computeIfAbsent(parent.contains(":") ? parent.substring(0, parent.indexOf(':')) : parent,
                    x -> new double[2]);
            l[0] += q - t[3];
            l[1] += mu * mu * t[0];
        });
        int borrowed = 0;
        for (Map.Entry<String, Double> e : tau2Of.entrySet()) {
            String parent = e.getKey();
            double[] l = levels.get(parent.contains(":") ? parent.substring(0, parent.indexOf(':')) : parent);
            double rho2 = Math.max(0, l[0] / l[1]);
            if (e.getValue() == 0 && rho2 > 0) {
                long[] p = segmentSums.get(parent);
                double mu = (double) p[1] / p[0] * 1000;
                e.setValue(rho2 * mu * mu);
                borrowed++;
            }
        }
        assertThat(borrowed).as("parents without a spread of their own").isGreaterThan(0);
        int checked = 0;
        for (StoredRow row : rows.values()) {
            Counters total = sum(rankDays(row));
            String parent = parentOf.get(row.key());
            long[] p = segmentSums.get(parent);
            double parentCpm = (double) p[1] / p[0] * 1000;
            Double tau2 = tau2Of.get(parent);
            Double noise = relativeNoise.get(parentKeys.of(row.key(), List.of("ad_id")));
            double k = fixedK;
            if (noise != null && tau2 != null) {
                double level = levelOf.get(row.key());
                k = level == 0 ? 1e-6 : tau2 == 0 ? 1e12 : Math.min(1e12, Math.max(1e-6, noise * level * level / tau2));
            }
            double weight = total.imps() / (total.imps() + k);
            double driftFactor = "true".equals(row.results().get("drift_flag"))
                    ? ctx.config().rank().settings().drift().factor() : 1.0;
            double rank = total.imps() == 0 ? parentCpm
                    : weight * driftFactor * ((double) total.revenueMicros() / total.imps() * 1000)
                    + (1 - weight * driftFactor) * parentCpm;
            assertThat(Double.parseDouble(row.results().get("weight"))).as("weight of %s", row.key())
                    .isCloseTo(weight * driftFactor, within(1e-6));
            assertThat(Double.parseDouble(row.results().get("rank"))).as("rank of %s", row.key())
                    .isCloseTo(rank, within(1e-6 * Math.max(1, rank)));
            checked++;
        }
        assertThat(checked).isEqualTo(rows.size()).isGreaterThan(1_000);
    }

    /**
     * Against the generator's true CPM, in every bucket of at least 200 key-days, the rank's MAE and RMSE are at
     * most the better of the raw and the parent CPM's (within the tie above); the fixed prior strength is 10-20x
     * the raw CPM's error on CPM-billed keys, so this fails with it.
     */
    @Test
    void againstTheTruthTheRankIsAsCloseAsTheBetterBaselineInEveryBucket() {
        List<String> failedFixed = new ArrayList<>();
        int buckets = 0;
        for (Map.Entry<String, Scorecard.Cell> e : empiricalBayes.scorecard().cells().entrySet()) {
            Scorecard.Cell cell = e.getValue();
            if (cell.truthKeys() < MIN_BUCKET_KEYS) {
                continue;
            }
            buckets++;
            CpmErrors.Result rank = cell.truth(Prediction.RANK);
            CpmErrors.Result raw = cell.truth(Prediction.RAW);
            CpmErrors.Result parent = cell.truth(Prediction.PARENT);
            assertThat(rank.mae()).as("rank MAE vs truth in %s", e.getKey())
                    .isLessThanOrEqualTo(MARGIN * Math.min(raw.mae(), parent.mae()) + TIE_MICROS);
            assertThat(rank.rmse()).as("rank RMSE vs truth in %s", e.getKey())
                    .isLessThanOrEqualTo(MARGIN * Math.min(raw.rmse(), parent.rmse()) + TIE_MICROS);
            CpmErrors.Result fixedRank = fixed.scorecard().cells().get(e.getKey()).truth(Prediction.RANK);
            if (fixedRank.mae() > MARGIN * Math.min(raw.mae(), parent.mae()) + TIE_MICROS
                    || fixedRank.rmse() > MARGIN * Math.min(raw.rmse(), parent.rmse()) + TIE_MICROS) {
                failedFixed.add(e.getKey());
            }
        }
        assertThat(buckets).as("buckets of 200+ key-days").isGreaterThanOrEqualTo(4);
        assertThat(failedFixed).as("buckets where the fixed prior strength misses the bar").isNotEmpty();
        System.out.println("the fixed prior strength misses the bar in " + failedFixed);
    }

    /**
     * Next day: the rank's impression-weighted RMSE is at most the raw and the parent CPM's overall; its revenue
     * against the true CPMs is calibrated within 5 % overall; the CTR and CVR predictions beat the best constant
     * rate (normalized entropy below 1).
     */
    @Test
    void nextDayTheRankBeatsBothBaselinesAndIsCalibratedAgainstTheTruth() {
        Scorecard.Cell all = empiricalBayes.scorecard().cells().get(Scorecard.ALL);
        double rank = all.nextDay(Prediction.RANK).rmse();
        assertThat(rank).isLessThanOrEqualTo(all.nextDay(Prediction.RAW).rmse());
        assertThat(rank).isLessThanOrEqualTo(all.nextDay(Prediction.PARENT).rmse());
        assertThat(all.truth(Prediction.RANK).calibration()).isBetween(0.95, 1.05);
        assertThat(all.ctr(Prediction.RANK).normalizedEntropy()).isLessThan(1.0);
        assertThat(all.cvr(Prediction.RANK).normalizedEntropy()).isLessThan(1.0);
    }

    /**
     * The VPC's 90 % credible intervals contain the generator's true VPC for the nominal share of the key-days,
     * within 3 points, overall and on the thin keys (< 100 impressions), with misses on both sides. On this set
     * (523 conversions in six days) the former priors covered 63 % (a method-of-moments CVR prior clamped to the
     * maximum strength on most days, a conversion-weighted value prior with a fixed strength); the
     * maximum-likelihood CVR prior and the log-moment value prior cover 88.4 %.
     */
    @Test
    void theVpcIntervalsCoverTheTrueVpcAtTheirNominalLevel() {
        Coverage.Result all = empiricalBayes.scorecard().cells().get(Scorecard.ALL).vpcCoverage();
        Coverage.Result thin = empiricalBayes.scorecard().cells().get("thin").vpcCoverage();
        System.out.println("VPC coverage: all " + all + ", thin " + thin);
        assertThat(all.keys()).isEqualTo(3L * 2_000);
        assertThat(all.share()).as("VPC coverage, all key-days").isBetween(all.nominal() - 0.03, all.nominal() + 0.03);
        assertThat(thin.share()).as("VPC coverage, thin key-days").isBetween(thin.nominal() - 0.03, thin.nominal() + 0.03);
        assertThat(all.below()).as("true VPCs below the interval").isPositive();
        assertThat(all.above()).as("true VPCs above the interval").isPositive();
    }
}
