package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.WriterLock;
import adrank.udfs.stats.HourId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Runs of one schema never overlap: the writer lock in the ledger table. */
@ExtendWith(AdrankStack.class)
class WriterLockIT {

    private static final HourId HOUR = new HourId(FixtureIT.DAY1, 0);

    @Test
    void aRunWhileAnotherHoldsTheLockFailsAtOnceAndWritesNothing(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "locked", Map.of())) {
            try (WriterLock.Held other = ctx.writerLock().acquire("backfill 2026-01-01..2026-01-31")) {
                assertThatThrownBy(() -> HourlyJob.run(ctx, HOUR))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("is being written by backfill 2026-01-01..2026-01-31 (run by ")
                        .hasMessageContaining("Runs of one schema must not overlap");
                assertThatThrownBy(() -> DailyJob.run(ctx, FixtureIT.DAY1))
                        .hasMessageContaining("is being written by backfill");
                assertThat(ctx.ledger().attempts(RunUnit.hour(HOUR))).isEmpty();
                assertThat(keys(ctx)).isEmpty();
            }
            // released: the same run goes through, and frees the lock behind it
            HourlyJob.run(ctx, HOUR);
            assertThat(keys(ctx)).isNotEmpty();
            assertThat(ctx.writerLock().holder()).isEmpty();
        }
    }

    @Test
    void theExpiredLeaseOfARunThatDiedIsTakenOver(AdrankStack.Services stack) throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "dead", Map.of())) {
            ctx.hbaseWithTables();
            // what a killed run leaves behind: its lease, expired a minute ago, never released
            try (Table ledger = ctx.hbase().getTable(ctx.schema().ledger())) {
                ledger.put(new Put(Bytes.toBytes("lock|writer"))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("owner"), Bytes.toBytes("hourly killed"))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("expires_at"),
                                Bytes.toBytes(Long.toString(System.currentTimeMillis() - 60_000))));
            }
            assertThat(ctx.writerLock().holder()).hasValueSatisfying(h -> assertThat(h.owner()).isEqualTo("hourly killed"));

            HourlyJob.run(ctx, HOUR);

            assertThat(ctx.ledger().latest(RunUnit.hour(HOUR)).orElseThrow().succeeded()).isTrue();
            assertThat(ctx.writerLock().holder()).isEmpty();
            // the lock row is not a run: the ledger's listings skip it
            assertThat(ctx.ledger().list(null)).hasSize(1);
        }
    }

    private static List<String> keys(RunContext ctx) throws Exception {
        List<String> keys = new ArrayList<>();
        new RankRows(ctx.hbaseWithTables(), ctx.schema()).forEach(row -> keys.add(row.key()));
        return keys;
    }
}
