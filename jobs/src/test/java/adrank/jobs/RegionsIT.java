package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RankRegions;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.key.SplitPoints;
import adrank.udfs.stats.HourId;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.RegionMetrics;
import org.apache.hadoop.hbase.ServerName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ranks table spreads an hour's writes over its regions: the first hour splits the empty
 * table at its keys' quantiles, and the writes of the next hour (HBase's own per-region write
 * request counters, read from the region server) land between 0.5× and 2× of each region's share.
 */
@ExtendWith(AdrankStack.class)
class RegionsIT {

    private static final LocalDate DAY = LocalDate.of(2026, 4, 1);
    private static final int REGIONS = 8;

    @Test
    void theFirstHourSplitsTheTableAndTheNextHoursWritesSpreadEvenly(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = stack.newContext("regions", Map.of("input.source", "path",
                "hbase.presplit-regions", String.valueOf(REGIONS)))) {
            GeneratorSettings data = GeneratorSettings.builder().seed(5).startDay(DAY).days(1).hoursPerDay(2)
                    .eventsPerHour(20_000).keys(4_000).adServers(2).badRowsPerHour(0).build();
            EventGenerator.generate(data, Path.of(ctx.config().input().path()), null);
            var table = ctx.schema().ranks();
            var hbase = ctx.hbaseWithTables();
            assertThat(RankRegions.splitPoints(hbase, table)).as("created with one region").isEmpty();

            HourlyJob.run(ctx, new HourId(DAY, 0));
            List<byte[]> points = RankRegions.splitPoints(hbase, table);
            assertThat(points).hasSize(REGIONS - 1);
            // what the old fixed split ("0".."z" cut evenly) would have done with the same keys: every
            // generated key starts with "ad", so all of them fall into one region
            byte[][] uniform = Bytes.split(Bytes.toBytes("0"), Bytes.toBytes("z"), REGIONS - 2);

            Map<String, Long> before = writeRequests(ctx);
            HourlyJob.Outcome hour1 = HourlyJob.run(ctx, new HourId(DAY, 1));
            Map<String, Long> after = writeRequests(ctx);
            assertThat(RankRegions.splitPoints(hbase, table)).as("a table with rows is not split again").hasSize(
                    REGIONS - 1);

            long[] writes = new long[REGIONS];
            long[] keysOnOldSplit = new long[REGIONS];
            try (Admin admin = hbase.getAdmin()) {
                for (RegionInfo region : admin.getRegions(table)) {
                    int index = SplitPoints.regionOf(points, region.getStartKey().length == 0 ? new byte[] {0}
                            : region.getStartKey());
                    writes[index] += after.getOrDefault(region.getEncodedName(), 0L)
                            - before.getOrDefault(region.getEncodedName(), 0L);
                }
            }
            try (Table t = hbase.getTable(table); ResultScanner rows = t.getScanner(new Scan()
                    .setFilter(new FirstKeyOnlyFilter()))) {
                for (Result row : rows) {
                    keysOnOldSplit[SplitPoints.regionOf(Arrays.asList(uniform).subList(1, uniform.length - 1),
                            row.getRow())]++;
                }
            }
            double[] ratios = SplitPoints.shareRatios(writes);
            System.out.printf("RegionsIT: writes of hour 1 per region %s, ratio to the fair share %s; keys per region "
                    + "under the old fixed split %s%n", Arrays.toString(writes), Arrays.toString(ratios),
                    Arrays.toString(keysOnOldSplit));
            // a write per key of the hour: its cell, state and result in one put (incremental: only the hour's keys)
            assertThat(hour1.keysWritten()).isGreaterThan(1_500);
            assertThat(Arrays.stream(writes).sum()).as("writes counted").isGreaterThanOrEqualTo(hour1.keysWritten());
            assertThat(Arrays.stream(ratios).boxed().toList()).allSatisfy(r -> assertThat(r).isBetween(0.5, 2.0));
            assertThat(Arrays.stream(SplitPoints.shareRatios(keysOnOldSplit)).max().orElseThrow())
                    .as("the old split put every key in one region").isEqualTo(REGIONS);
        }
    }

    /** Write requests per region of the ranks table (encoded region name), read from the region servers. */
    private static Map<String, Long> writeRequests(RunContext ctx) throws Exception {
        Map<String, Long> counts = new HashMap<>();
        try (Admin admin = ctx.hbaseWithTables().getAdmin()) {
            for (ServerName server : admin.getRegionServers()) {
                for (RegionMetrics metrics : admin.getRegionMetrics(server, ctx.schema().ranks())) {
                    counts.put(RegionInfo.encodeRegionName(metrics.getRegionName()), metrics.getWriteRequestCount());
                }
            }
        }
        return counts;
    }
}
