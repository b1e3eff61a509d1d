package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.ParentTable;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.StoredRow;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Incremental hourly results (README "Incremental results"): the same generated hours run into a schema with
 * {@code rank.hourly-results = incremental} (the default) and one with {@code full}. The contract, checked after
 * every run:
 * <ul>
 *   <li>an incremental hour rewrites the results of exactly the keys it touched; every other key's result cells
 *       are byte-identical to before the hour;</li>
 *   <li>a touched key's result is its rank against the parents of the last full stage, recomputed here in plain
 *       arithmetic from the key's stored counters and the parents table's cells (CPM, impressions, τ², the ad's
 *       noise model): parent choice, parent CPM, weight and rank;</li>
 *   <li>after a daily fold (always the full stage) both schemas store exactly the same results and parents.</li>
 * </ul>
 * It also checks when the full stage runs instead (the first hour, the data doubled, the settings changed, a
 * stage that did not complete) and prints how far the in-day incremental ranks are from a full recomputation.
 */
@ExtendWith(AdrankStack.class)
class IncrementalResultsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 8, 1);
    private static final long MIN_PARENT_IMPRESSIONS = 100;
    private static final double PRIOR_STRENGTH = 1000;

    @Test
    void incrementalHoursRankTheirKeysAgainstTheLastFullStageAndFoldsEqualTheFullPath(AdrankStack.Services stack)
            throws Exception {
        GeneratorSettings data = GeneratorSettings.builder().seed(31).startDay(DAY).days(2).hoursPerDay(4)
                .eventsPerHour(6_000).keys(2_000).adServers(2).badRowsPerHour(0).build();
        Map<String, String> incSettings = stack.newSettings("inc", Map.of("input.source", "path",
                "rank.parent-min-impressions", String.valueOf(MIN_PARENT_IMPRESSIONS)));
        try (RunContext inc = new RunContext(AdrankConfig.load("local", incSettings));
                RunContext full = stack.newContext("full", Map.of("input.source", "path",
                        "rank.parent-min-impressions", String.valueOf(MIN_PARENT_IMPRESSIONS),
                        "rank.hourly-results", "full"))) {
            EventGenerator.generate(data, Path.of(inc.config().input().path()), null);
            EventGenerator.generate(data, Path.of(full.config().input().path()), null);
            inc.hbaseWithTables(); // the tables exist before the first hour: it is compared with what was before
            List<Boolean> incremental = new ArrayList<>();
            List<String> deviations = new ArrayList<>();
            int checkedKeys = 0;
            int untouchedKeys = 0;
            for (int day = 0; day < 2; day++) {
                LocalDate dt = DAY.plusDays(day);
                for (int hr = 0; hr < 4; hr++) {
                    HourId hour = new HourId(dt, hr);
                    Map<String, StoredRow> before = rows(inc);
                    HourlyJob.Outcome outcome = HourlyJob.run(inc, hour);
                    HourlyJob.run(full, hour);
                    boolean wasIncremental = outcome.results().parents() == 0;
                    incremental.add(wasIncremental);
                    Map<String, StoredRow> after = rows(inc);
                    if (wasIncremental) {
                        int[] counts = checkIncrementalHour(inc, hour, before, after);
                        checkedKeys += counts[0];
                        untouchedKeys += counts[1];
                        assertThat(outcome.results().keys()).as("results of the touched keys").isEqualTo(counts[2]);
                    }
                    deviations.add(hour + " " + (wasIncremental ? "incremental" : "full") + ": "
                            + deviation(after, rows(full)));
                }
                if (day == 1) {
                    // re-runs of the day's last hour, before its fold (an hour of a folded day re-folds it, in full)
                    // a stage that does not complete leaves no basis: the next hour runs the full stage
                    inc.ledger().clearResultsBasis();
                    assertThat(HourlyJob.run(inc, new HourId(dt, 3)).results().parents()).isPositive();
                    assertThat(HourlyJob.run(inc, new HourId(dt, 3)).results().parents()).isZero();
                    // other rank settings: the full stage
                    Map<String, String> changed = new HashMap<>(incSettings);
                    changed.put("rank.prior-strength", "300");
                    try (RunContext other = new RunContext(AdrankConfig.load("local", changed))) {
                        assertThat(HourlyJob.run(other, new HourId(dt, 3)).results().parents()).isPositive();
                        assertThat(HourlyJob.run(other, new HourId(dt, 3)).results().parents()).isZero();
                    }
                }
                DailyJob.run(inc, dt);
                DailyJob.run(full, dt);
                assertSameResultsAndParents(inc, full);
            }
            deviations.forEach(d -> System.out.println("IncrementalResultsIT: rank incremental vs full, " + d));
            System.out.printf("IncrementalResultsIT: %d touched keys recomputed by hand, %d untouched keys unchanged%n",
                    checkedKeys, untouchedKeys);
            // day 1: hour 00 has no basis; hours 01.. build on it until the data applied since exceeds what it saw;
            // day 2 builds on day 1's fold (a day of history: no in-day refresh)
            assertThat(incremental.get(0)).as("the first hour runs the full stage").isFalse();
            assertThat(incremental.get(1)).as("the second hour builds on the first").isTrue();
            assertThat(incremental.subList(4, 8)).as("day 2 builds on the fold of day 1").containsOnly(true);
            assertThat(incremental).contains(false, true);
            assertThat(checkedKeys).isGreaterThan(1_000);
            assertThat(untouchedKeys).isGreaterThan(1_000);
            assertThat(deviations.stream().filter(d -> d.contains(" incremental: ")).toList())
                    .as("incremental ranks differ in-day from a full recomputation")
                    .anySatisfy(d -> assertThat(d).doesNotContain("p50 $0.0000, p90 $0.0000"));
        }
    }

    /**
     * Checks an incremental hour: untouched keys' result cells unchanged, touched keys' results recomputed. Returns
     * {touched keys checked by hand, untouched keys, keys with a result the hour touched}.
     */
    private static int[] checkIncrementalHour(RunContext ctx, HourId hour, Map<String, StoredRow> before,
            Map<String, StoredRow> after) throws Exception {
        String hourId = hour.id();
        int checked = 0;
        int untouched = 0;
        int touched = 0;
        Map<String, Map<String, String>> parents = new HashMap<>();
        Map<String, String[]> noise = new HashMap<>();
        long basis = ctx.ledger().resultsBasis().orElseThrow().version();
        for (StoredRow row : after.values()) {
            if (!row.hours().containsKey(hourId)) {
                StoredRow old = before.get(row.key());
                assertThat(old).as("a key the hour did not touch existed before it").isNotNull();
                assertThat(row.results()).as("result of untouched %s", row.key()).isEqualTo(old.results());
                untouched++;
                continue;
            }
            touched++;
            assertThat(row.results().get("run_id")).as("the hour wrote %s", row.key())
                    .isNotEqualTo(before.containsKey(row.key()) ? before.get(row.key()).results().get("run_id") : "");
            if (expectRank(ctx, basis, row, parents, noise)) {
                checked++;
            }
        }
        return new int[] {checked, untouched, touched};
    }

    /**
     * The key's rank against the stored parents in plain arithmetic: the first parent level with a CPM and at least
     * {@link #MIN_PARENT_IMPRESSIONS} impressions (else the global one), k = relVar·θ̂²/τ² with θ̂ = max(pilot, μ)
     * and the pilot the rank with k = {@link #PRIOR_STRENGTH}, relVar = c² for impression billing, (1 + c²)/λ
     * otherwise. False for a drift-flagged key (its weight is cut), whose rank is not checked.
     */
    private static boolean expectRank(RunContext ctx, long basis, StoredRow row, Map<String, Map<String, String>> parents,
            Map<String, String[]> noise) throws Exception {
        String[] c = row.key().split("\\|");
        List<String> chain = List.of("ad_id,geo,device:" + c[0] + "|" + c[1] + "|" + c[2], "ad_id,geo:" + c[0] + "|"
                + c[1], "geo,device:" + c[1] + "|" + c[2], "*");
        String chosen = null;
        for (String p : chain) {
            Map<String, String> cells = parent(ctx, basis, p, parents);
            if (cells.containsKey("cpm") && !cells.get("cpm").isEmpty()
                    && Long.parseLong(cells.get("counters").split(" ")[0]) >= MIN_PARENT_IMPRESSIONS) {
                chosen = p;
                break;
            }
        }
        if (chosen == null) {
            chosen = "*";
        }
        Map<String, String> r = row.results();
        assertThat(r.get("parent")).as("parent of %s", row.key()).isEqualTo(chosen);
        double mu = Double.parseDouble(parent(ctx, basis, chosen, parents).get("cpm"));
        assertThat(Double.parseDouble(r.get("parent_cpm"))).isEqualTo(mu);
        if ("true".equals(r.get("drift_flag"))) {
            return false;
        }
        Counters sum = row.total() == null ? Counters.ZERO : row.total().counters();
        if (!row.open().isEmpty()) {
            sum = sum.plus(row.open().sum());
        }
        double imps = sum.imps();
        double rev = sum.revenueMicros();
        String tau2 = parent(ctx, basis, chosen, parents).get("tau2");
        String[] model = noise.computeIfAbsent(c[0], ad -> noiseModel(ctx, basis, "ad_id:" + ad));
        double k;
        if (tau2 == null || model == null) {
            k = PRIOR_STRENGTH;
        } else {
            double pilot = (rev + PRIOR_STRENGTH * mu / 1000) / (imps + PRIOR_STRENGTH) * 1000;
            double level = Math.max(pilot, mu);
            double c2 = Double.parseDouble(model[1]);
            double relVar = model[0].equals("IMPRESSION") ? c2 : (1 + c2) / Double.parseDouble(model[2]);
            double t = Double.parseDouble(tau2);
            k = level == 0 ? 1e-6 : t > 0 ? relVar * level * level / t : 1e12;
            k = Math.min(1e12, Math.max(1e-6, k));
        }
        double weight = imps / (imps + k);
        // revenue without impressions (a lagged click or conversion) has no CPM: the key ranks at its parent
        double rank = imps == 0 ? mu : (rev + k * mu / 1000) / (imps + k) * 1000;
        assertThat(Double.parseDouble(r.get("weight"))).as("weight of %s", row.key())
                .isCloseTo(weight, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, weight)));
        assertThat(Double.parseDouble(r.get("rank"))).as("rank of %s (imps %s, rev %s, k %s, parent %s; stored %s; state %s / %s)",
                        row.key(), imps, rev, k, mu, r, row.open().encode(), row.total() == null ? "" : row.total().encode())
                .isCloseTo(rank, org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, rank)));
        return true;
    }

    /** A parent's stored columns and its τ² cell (as text, absent when none). */
    private static Map<String, String> parent(RunContext ctx, long basis, String key, Map<String, Map<String, String>> cache)
            throws Exception {
        Map<String, String> cells = cache.get(key);
        if (cells == null) {
            cells = new TreeMap<>(new ParentTable(ctx.hbase(), ctx.schema()).get(key).orElse(Map.of()));
            try (Table table = ctx.hbase().getTable(ctx.schema().parents())) {
                // the cells the basis wrote (a τ² an older stage wrote stays when the basis had none for the parent)
                Result tau2 = table.get(new Get(Bytes.toBytes(key)).addColumn(RankSchema.PARENT, ParentTable.TAU2)
                        .setTimeRange(basis, basis + 1));
                if (!tau2.isEmpty()) {
                    cells.put("tau2", Bytes.toString(tau2.value()));
                }
            }
            cache.put(key, cells);
        }
        return cells;
    }

    /** The noise model cell of a noise segment, split into billed event, c², λ; null when none. */
    private static String[] noiseModel(RunContext ctx, long basis, String key) {
        try (Table table = ctx.hbase().getTable(ctx.schema().parents())) {
            Result r = table.get(new Get(Bytes.toBytes(key)).addColumn(RankSchema.PARENT, ParentTable.NOISE)
                    .setTimeRange(basis, basis + 1));
            return r.isEmpty() ? null : Bytes.toString(r.value()).split(" ");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * How far one schema's ranks are from the other's, over the keys both rank: quantiles of the absolute difference
     * in dollars CPM, and the share of keys off by more than 1 % of the larger rank.
     */
    private static String deviation(Map<String, StoredRow> a, Map<String, StoredRow> b) {
        List<Double> d = new ArrayList<>();
        long over1 = 0;
        for (StoredRow row : a.values()) {
            StoredRow other = b.get(row.key());
            if (other == null || row.results().get("rank") == null || other.results().get("rank") == null) {
                continue;
            }
            double x = Double.parseDouble(row.results().get("rank"));
            double y = Double.parseDouble(other.results().get("rank"));
            d.add(Math.abs(x - y) / 1e6);
            if (Math.abs(x - y) > 0.01 * Math.max(Math.abs(x), Math.abs(y))) {
                over1++;
            }
        }
        Collections.sort(d);
        return String.format("%d keys, |difference| p50 $%.4f, p90 $%.4f, p99 $%.4f, max $%.4f CPM; %.1f %% of keys "
                + "off by > 1 %%", d.size(), q(d, 0.5), q(d, 0.9), q(d, 0.99), d.isEmpty() ? 0 : d.get(d.size() - 1),
                d.isEmpty() ? 0 : 100.0 * over1 / d.size());
    }

    private static double q(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private static Map<String, StoredRow> rows(RunContext ctx) throws Exception {
        Map<String, StoredRow> out = new TreeMap<>();
        new RankRows(ctx.hbase(), ctx.schema()).forEach(row -> out.put(row.key(), row));
        return out;
    }

    /** Every key's result (but when and by which run) and state, and every parent, equal in both schemas. */
    private static void assertSameResultsAndParents(RunContext a, RunContext b) throws Exception {
        Map<String, StoredRow> ra = rows(a);
        Map<String, StoredRow> rb = rows(b);
        assertThat(ra.keySet()).isEqualTo(rb.keySet()).isNotEmpty();
        for (String key : ra.keySet()) {
            Map<String, String> x = new TreeMap<>(ra.get(key).results());
            Map<String, String> y = new TreeMap<>(rb.get(key).results());
            for (Map<String, String> m : List.of(x, y)) {
                m.remove("computed_at");
                m.remove("run_id");
            }
            assertThat(x).as("result of %s after the fold", key).isEqualTo(y).containsKey("rank");
        }
        var pa = new ParentTable(a.hbase(), a.schema()).all();
        var pb = new ParentTable(b.hbase(), b.schema()).all();
        assertThat(pa).isEqualTo(pb).isNotEmpty();
    }
}
