package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.HourId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The publish path end to end: jobs write results to HBase, {@code publish} loads them into a
 * real Hazelcast member from the Spark executors, and a reader client over loopback returns, for
 * every key, exactly the stored result row.
 */
@ExtendWith(AdrankStack.class)
class PublishIT {

    private static double number(String text) {
        return text == null || text.isEmpty() ? Double.NaN : Double.parseDouble(text);
    }

    @Test
    void everyLookedUpValueEqualsItsHBaseResultRow(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "publish", Map.of())) {
            FixtureIT.runAllHours(ctx);
            DailyJob.run(ctx, FixtureIT.DAY1);
            DailyJob.run(ctx, FixtureIT.DAY2);
            PublishJob.Outcome first = PublishJob.run(ctx);
            assertThat(first.result().version()).isEqualTo(1);
            assertThat(first.result().entries().count()).isEqualTo(3);

            List<StoredRow> rows = new ArrayList<>();
            new RankRows(ctx.hbase(), ctx.schema()).forEach(rows::add);
            try (RankReader reader = RankReader.connect(ctx.config().hazelcast(), ctx.config().reader(),
                    ctx.config().key(), ctx.config().schema())) {
                for (StoredRow row : rows) {
                    Lookup lookup = reader.lookup(row.key(), "unit-1");
                    assertThat(lookup.found()).as("lookup of %s", row.key()).isTrue();
                    assertThat(lookup.fromParent()).isFalse();
                    assertThat(lookup.version()).isEqualTo(1);
                    Map<String, String> r = row.results();
                    assertThat(lookup.entry().rank()).isEqualTo(number(r.get("rank")));
                    assertThat(lookup.entry().weight()).isEqualTo(number(r.get("weight")));
                    assertThat(lookup.entry().cpm()).isEqualTo(number(r.get("cpm")));
                    assertThat(lookup.entry().parentCpm()).isEqualTo(number(r.get("parent_cpm")));
                    assertThat(lookup.entry().vpcMean()).isEqualTo(number(r.get("vpc_mean")));
                    assertThat(lookup.entry().vpcLo()).isEqualTo(number(r.get("vpc_lo")));
                    assertThat(lookup.entry().vpcHi()).isEqualTo(number(r.get("vpc_hi")));
                    assertThat(lookup.entry().total()).isEqualTo(row.total().counters());
                }
                // a key nobody has seen falls back to its parent segment's CPM, here the global one
                Lookup unknown = reader.lookup("ad9|ZZ|tv|x|y|z", "unit-1");
                assertThat(unknown.fromParent()).isTrue();
                assertThat(unknown.answeredBy()).isEqualTo("*");
                // global CPM = all revenue / all impressions * 1000 = (6100 + 5200 + 3800) / (6 + 3 + 2) * 1000
                assertThat(unknown.entry().rank()).isCloseTo(15_100.0 / 11 * 1000, within(1e-6));

                // a new fold, a second publish, then a rollback: the reader follows each switch
                HourlyJob.run(ctx, new HourId(FixtureIT.DAY2, 5));
                PublishJob.Outcome second = PublishJob.run(ctx);
                assertThat(second.result().version()).isEqualTo(2);
                SnapshotPublisher publisher = new SnapshotPublisher(ctx.hazelcast(), ctx.config().publish(),
                        ctx.config().key().dimensions());
                publisher.rollback(ctx.config().schema());
                long deadline = System.currentTimeMillis() + 1000;
                while (reader.lookup(rows.get(0).key(), "unit-1").version() != 1
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(reader.lookup(rows.get(0).key(), "unit-1").version()).isEqualTo(1);
            }
        }
    }
}
