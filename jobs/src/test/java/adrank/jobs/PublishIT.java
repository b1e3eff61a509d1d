package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.PublishJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.hazelcast.FallbackRule;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionState;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.HourId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The publish path end to end: jobs write results to HBase, {@code publish} loads them into a
 * real Hazelcast member from the Spark executors, and a reader client over loopback returns, for
 * every key, exactly the stored result row.
 */
@ExtendWith(AdrankStack.class)
class PublishIT {

    /** A stored result number; empty is none (null, as in the snapshot). */
    private static Double number(String text) {
        return text == null || text.isEmpty() ? null : Double.parseDouble(text);
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
            // the fixture's 11 impressions leave every segment below rank.parent-min-impressions (1000): only the
            // last resort, the global parent, can answer a lookup, so it is the only parent loaded
            assertThat(first.result().parents().count()).isEqualTo(1);
            // the version records the fallback the results were computed with (reference.conf's defaults)
            SnapshotPublisher publisher = new SnapshotPublisher(ctx.hazelcast(), ctx.config().publish(),
                    ctx.config().key().dimensions());
            FallbackRule recorded = publisher.control(ctx.config().schema()).version(1).orElseThrow().fallback();
            assertThat(recorded.parentSegments()).containsExactly(List.of("ad_id", "geo", "device"),
                    List.of("ad_id", "geo"), List.of("geo", "device"), List.of());
            assertThat(recorded.parentMinImpressions()).isEqualTo(1000);
            assertThat(recorded.keyDimensions()).containsExactly("ad_id", "geo", "device", "os", "browser",
                    "connection");
            assertThat(recorded.separator()).isEqualTo('|');

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
                publisher.rollback(ctx.config().schema());
                long deadline = System.currentTimeMillis() + 1000;
                while (reader.lookup(rows.get(0).key(), "unit-1").version() != 1
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(reader.lookup(rows.get(0).key(), "unit-1").version()).isEqualTo(1);

                // the rollback pinned the schema: the next scheduled publish loads and verifies v3 but
                // leaves v1 active, records nothing as served and says why in its summary
                PublishJob.Outcome pinned = PublishJob.run(ctx);
                assertThat(pinned.result().version()).isEqualTo(3);
                assertThat(pinned.result().activated()).isFalse();
                assertThat(pinned.served()).isZero();
                assertThat(pinned.result().whyNotActive()).startsWith("not active: schema pinned since ")
                        .endsWith(" by rollback (rolled back from v2 to v1)");
                assertThat(publisher.control(ctx.config().schema()).active()).isEqualTo(1);
                // unpinned, a staged publish loads v4 and activates nothing either
                publisher.unpin(ctx.config().schema());
                PublishJob.Outcome staged = PublishJob.run(ctx, true);
                assertThat(staged.result().activated()).isFalse();
                assertThat(publisher.control(ctx.config().schema()).staged()).containsExactly(4);
                assertThat(reader.lookup(rows.get(0).key(), "unit-1").version()).isEqualTo(1);

                // a stored value that is not finite fails the publish, naming the key; nothing is activated
                StoredRow victim = rows.get(1);
                Map<String, String> vpc = new java.util.HashMap<>();
                for (String field : List.of("vpc_parent", "vpc_mean", "vpc_lo", "vpc_hi", "cvr_shape", "cvr_rate",
                        "value_shape", "value_rate")) {
                    vpc.put(field, victim.results().getOrDefault(field, ""));
                }
                vpc.put("vpc_hi", "Infinity");
                try (Table table = ctx.hbase().getTable(ctx.schema().ranks())) {
                    table.put(new Put(Bytes.toBytes(victim.key()), System.currentTimeMillis()).addColumn(
                            RankSchema.RESULT, RankSchema.VPC.qualifier(), RankSchema.VPC.pack(vpc)));
                }
                assertThatThrownBy(() -> PublishJob.run(ctx)).isInstanceOf(RunFailedException.class)
                        .hasMessageContaining("v5 of schema " + ctx.config().schema() + " refused: cannot publish key '"
                                + victim.key() + "': vpc_hi = Infinity is not a finite number")
                        .hasMessageEndingWith("Nothing of it was activated; v1 stays active.");
                VersionControl control = publisher.control(ctx.config().schema());
                assertThat(control.active()).isEqualTo(1);
                assertThat(control.version(5).orElseThrow().state()).isEqualTo(VersionState.FAILED);
                assertThat(control.version(5).orElseThrow().note()).contains(victim.key());
                assertThat(reader.lookup(victim.key(), "unit-1").version()).isEqualTo(1);
            }
        }
    }
}
