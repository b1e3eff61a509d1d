package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.WriterLock;
import adrank.udfs.stats.HourId;
import java.time.Instant;
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
    void theExpiredLeaseOfARunThatDiedIsTakenOverAndItsAttemptRecordedFailed(AdrankStack.Services stack)
            throws Exception {
        try (RunContext ctx = FixtureIT.fixtureContext(stack, "dead", Map.of())) {
            ctx.hbaseWithTables();
            // what a run killed ten minutes ago (kill -9, or cut off from HBase) leaves behind: its
            // attempt RUNNING in the ledger, and its lease, named after that attempt, never renewed
            // since (HBase's clock is this JVM's in the mini cluster)
            long killedAt = System.currentTimeMillis() - 600_000;
            HourId killedHour = new HourId(FixtureIT.DAY1, 1);
            String runId = Ledger.runId(killedAt);
            ctx.ledger().record(new RunRecord(RunUnit.hour(killedHour), runId, RunRecord.RUNNING,
                    Instant.ofEpochMilli(killedAt), 0, 0, 0, Map.of(), 0, 0, killedAt, "killed input", null));
            try (Table ledger = ctx.hbase().getTable(ctx.schema().ledger())) {
                ledger.put(new Put(Bytes.toBytes("lock|writer"))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("owner"), Bytes.toBytes("hourly killed"))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("purpose"), Bytes.toBytes("WRITE"))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("version"), Bytes.toBytes(killedAt))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("renewed_at"), Bytes.toBytes(killedAt))
                        .addColumn(RankSchema.LEDGER, Bytes.toBytes("attempt"),
                                Bytes.toBytes(Ledger.rowKey(RunUnit.hour(killedHour), runId))));
            }
            assertThat(ctx.writerLock().holder()).hasValueSatisfying(h -> assertThat(h.owner()).isEqualTo("hourly killed"));
            // the phantom RUNNING attempt is what the fold would refuse to fold over
            assertThat(ctx.ledger().latest(RunUnit.hour(killedHour)).orElseThrow().status()).isEqualTo(RunRecord.RUNNING);

            HourlyJob.run(ctx, HOUR);

            assertThat(ctx.ledger().latest(RunUnit.hour(HOUR)).orElseThrow().succeeded()).isTrue();
            RunRecord killed = ctx.ledger().latest(RunUnit.hour(killedHour)).orElseThrow();
            assertThat(killed.status()).isEqualTo(RunRecord.FAILED);
            assertThat(killed.message()).isEqualTo("ended without recording how: its run was killed or cut off "
                    + "from HBase before it could record its end; hourly " + HOUR + " took the writer lock over");
            assertThat(ctx.writerLock().holder()).isEmpty();
            // the lock row is not a run: the ledger's listings skip it
            assertThat(ctx.ledger().list(null)).hasSize(2);
            // the day's fold now names the killed hour as FAILED (re-run it), not as a run still going
            assertThatThrownBy(() -> DailyJob.run(ctx, FixtureIT.DAY1)).hasMessageContaining(
                    killedHour.day() + " 01 is FAILED");
            HourlyJob.run(ctx, killedHour);
            DailyJob.run(ctx, FixtureIT.DAY1);
            assertThat(ctx.ledger().latest(RunUnit.day(FixtureIT.DAY1)).orElseThrow().succeeded()).isTrue();
        }
    }

    private static List<String> keys(RunContext ctx) throws Exception {
        List<String> keys = new ArrayList<>();
        new RankRows(ctx.hbaseWithTables(), ctx.schema()).forEach(row -> keys.add(row.key()));
        return keys;
    }
}
