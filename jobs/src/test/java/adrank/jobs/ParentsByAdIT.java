package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.ResultsStage;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.ParentTable;
import adrank.loaders.hbase.RankRegions;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Parents by ad ({@code rank.parents-join = by-ad}, the default) store exactly the results and parents of
 * the broadcast path: the same generated hours and day run into two schemas, one per path, on a ranks
 * table split into 8 regions at sampled keys (so region boundaries cut ads) and scanned in 4 tasks per
 * region; after every run (an hour, then the day's fold with the VPC) each key's state and
 * result cells (all but {@code computed_at} and {@code run_id}) and every parent row are equal, as text,
 * in both schemas.
 */
@ExtendWith(AdrankStack.class)
class ParentsByAdIT {

    private static final LocalDate DAY = LocalDate.of(2026, 6, 1);

    @Test
    void byAdStoresExactlyTheBroadcastPathsResultsAndParents(AdrankStack.Services stack) throws Exception {
        GeneratorSettings data = GeneratorSettings.builder().seed(21).startDay(DAY).days(1).hoursPerDay(1)
                .eventsPerHour(15_000).keys(3_000).adServers(2).badRowsPerHour(0).build();
        try (RunContext byAd = context(stack, "byad", "by-ad", data);
                RunContext broadcast = context(stack, "bcast", "broadcast", data)) {
            List<ResultsStage.Outcome> byAdStages = new ArrayList<>();
            List<ResultsStage.Outcome> broadcastStages = new ArrayList<>();
            List<Run> runs = List.of(ctx -> HourlyJob.run(ctx, new HourId(DAY, 0)).results(),
                    ctx -> DailyJob.run(ctx, DAY).results()); // with the VPC
            for (Run run : runs) {
                byAdStages.add(run.apply(byAd));
                broadcastStages.add(run.apply(broadcast));
                assertSameStore(byAd, broadcast);
            }

            // the by-ad runs really ran by ad: ads were cut by region boundaries, and only the shared parents
            // (segments of many ads, the cut ads' segments) were shipped; the broadcast runs shipped all
            List<byte[]> splits = RankRegions.splitPoints(byAd.hbase(), byAd.schema().ranks());
            assertThat(splits).hasSize(7);
            Map<String, List<String>> keysByAd = new TreeMap<>();
            new RankRows(byAd.hbase(), byAd.schema()).forEach(row ->
                    keysByAd.computeIfAbsent(row.key().substring(0, row.key().indexOf('|')), a -> new ArrayList<>())
                            .add(row.key()));
            long cut = splits.stream().map(Bytes::toString).filter(split -> {
                List<String> keys = keysByAd.get(split.substring(0, split.indexOf('|')));
                return keys != null && keys.get(0).compareTo(split) < 0;
            }).count();
            System.out.printf("ParentsByAdIT: %d ads, %d keys, %d of 7 region boundaries cut an ad; parents stored / "
                    + "shipped by ad %s, broadcast %s%n", keysByAd.size(),
                    keysByAd.values().stream().mapToInt(List::size).sum(), cut,
                    byAdStages.stream().map(o -> o.parents() + "/" + o.parentsShipped()).toList(),
                    broadcastStages.stream().map(o -> o.parents() + "/" + o.parentsShipped()).toList());
            assertThat(cut).as("region boundaries inside an ad").isPositive();
            for (int i = 0; i < byAdStages.size(); i++) {
                assertThat(byAdStages.get(i).parents()).isEqualTo(broadcastStages.get(i).parents());
                assertThat(byAdStages.get(i).keys()).isEqualTo(broadcastStages.get(i).keys());
                assertThat(broadcastStages.get(i).parentsShipped()).isEqualTo(broadcastStages.get(i).parents());
                assertThat(byAdStages.get(i).parentsShipped()).as("shipped by ad")
                        .isLessThan(broadcastStages.get(i).parents() / 2);
            }
        }
    }

    private interface Run {
        ResultsStage.Outcome apply(RunContext ctx) throws Exception;
    }

    private static RunContext context(AdrankStack.Services stack, String name, String join, GeneratorSettings data)
            throws Exception {
        RunContext ctx = stack.newContext(name, Map.of("input.source", "path", "hbase.presplit-regions", "8",
                "hbase.scan-splits-per-region", "4", "rank.parents-join", join,
                // low enough that many keys shrink toward their ad's own segments, whose τ² is fitted by ad
                "rank.parent-min-impressions", "100"));
        EventGenerator.generate(data, Path.of(ctx.config().input().path()), null);
        return ctx;
    }

    /** Every key's stored state and result (but when and by which run it was computed), and every parent. */
    private static void assertSameStore(RunContext byAd, RunContext broadcast) throws Exception {
        Map<String, Map<String, String>> a = results(byAd);
        assertThat(a).isNotEmpty();
        assertThat(a.values()).allSatisfy(r -> assertThat(r).containsKey("rank").doesNotContainKey("error"));
        Map<String, Map<String, String>> b = results(broadcast);
        assertThat(a.keySet()).isEqualTo(b.keySet());
        for (String key : a.keySet()) {
            assertThat(a.get(key)).as("result and state of %s", key).isEqualTo(b.get(key));
        }
        var parentsA = new ParentTable(byAd.hbase(), byAd.schema()).all();
        var parentsB = new ParentTable(broadcast.hbase(), broadcast.schema()).all();
        assertThat(parentsA).hasSameSizeAs(parentsB).isNotEmpty();
        for (int i = 0; i < parentsA.size(); i++) {
            assertThat(parentsA.get(i)).isEqualTo(parentsB.get(i));
        }
    }

    private static Map<String, Map<String, String>> results(RunContext ctx) throws Exception {
        Map<String, Map<String, String>> out = new TreeMap<>();
        new RankRows(ctx.hbase(), ctx.schema()).forEach(row -> {
            Map<String, String> cells = new TreeMap<>(row.results());
            cells.remove("computed_at");
            cells.remove("run_id");
            cells.put("state", state(row));
            out.put(row.key(), cells);
        });
        return out;
    }

    private static String state(StoredRow row) {
        return row.open().encode() + " / " + (row.total() == null ? "" : row.total().encode()) + " / "
                + row.byDay().entries();
    }
}
