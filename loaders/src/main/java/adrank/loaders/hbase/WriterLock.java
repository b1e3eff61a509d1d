package adrank.loaders.hbase;

import adrank.udfs.run.WriteOrder;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.hadoop.hbase.CompareOperator;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Increment;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.RowMutations;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.SingleColumnValueFilter;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per schema at a time, and the schema's write versions. Hourly and daily runs read
 * cells other runs write (today is the sum of the day's hour cells, the fold reads them all), and
 * a publish must read one run's results, not a mix; so they take this lock, a lease in the ledger
 * table's row {@code lock|writer}, taken and renewed with HBase check-and-mutate so it holds across
 * processes and machines.
 *
 * <p>Time and order come from HBase, never from the holder's clock ({@link WriteOrder}): the
 * server's time is read from the timestamp HBase gives an increment of the row's {@code clock}
 * cell, leases are renewed and judged on it, and the row keeps the last write version issued,
 * so every run's version is greater than every earlier run's of the schema. The version is the
 * fencing token: every renewal and the commit of a run check that the row still holds the
 * run's version; once another run has taken the lease over, the old holder's checks fail
 * ({@link LeaseLostException}) and whatever it still writes carries a lower version than the new
 * holder's.
 *
 * <p>The row also names the attempt the holder is running (its ledger row), so the next holder
 * can record that attempt as ended if it is still RUNNING: a run killed, or cut off from HBase
 * while it tried to record its end, never leaves a phantom RUNNING attempt behind.
 */
public final class WriterLock {

    private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);

    static final byte[] ROW = Bytes.toBytes("lock|writer");
    private static final byte[] OWNER = Bytes.toBytes("owner");
    private static final byte[] PURPOSE = Bytes.toBytes("purpose");
    private static final byte[] VERSION = Bytes.toBytes("version");
    private static final byte[] RENEWED_AT = Bytes.toBytes("renewed_at");
    private static final byte[] RELEASED = Bytes.toBytes("released");
    private static final byte[] ATTEMPT = Bytes.toBytes("attempt");
    private static final byte[] CLOCK = Bytes.toBytes("clock");

    /** What a holder does with the schema: writes its state, or publishes its results. */
    public enum Purpose {
        WRITE, PUBLISH
    }

    /** The HBase server's clock, epoch milliseconds. Tests skew it to make leases expire. */
    @FunctionalInterface
    public interface ServerClock {
        long now() throws IOException;
    }

    private final Connection connection;
    private final RankSchema schema;
    private final Duration lease;
    private final ServerClock serverClock;

    public WriterLock(Connection connection, RankSchema schema, Duration lease) {
        this(connection, schema, lease, Duration.ZERO);
    }

    /**
     * A lock whose view of the server clock is shifted by {@code serverClockSkew}: what a run
     * sees when the server's clock jumps (or, with a skew above the lease, when the lease of the
     * current holder looks expired to it). Zero in production.
     */
    public WriterLock(Connection connection, RankSchema schema, Duration lease, Duration serverClockSkew) {
        this.connection = connection;
        this.schema = schema;
        this.lease = lease;
        long skew = serverClockSkew.toMillis();
        this.serverClock = () -> hbaseNow() + skew;
    }

    /** Who holds the lock, for what, and until when on the server clock (an expired lease included). */
    public record Holder(String owner, Purpose purpose, Instant expiresAt, long version) {
    }

    /** The lock's row as read: the decisions are made on one read. */
    private record Row(byte[] owner, Purpose purpose, long version, byte[] versionRaw, Long renewedAt,
            byte[] renewedRaw, boolean released, String attempt) {

        static Row of(Result r) {
            byte[] owner = r.getValue(RankSchema.LEDGER, OWNER);
            byte[] version = r.getValue(RankSchema.LEDGER, VERSION);
            byte[] renewed = r.getValue(RankSchema.LEDGER, RENEWED_AT);
            byte[] purpose = r.getValue(RankSchema.LEDGER, PURPOSE);
            byte[] attempt = r.getValue(RankSchema.LEDGER, ATTEMPT);
            return new Row(owner, purpose == null ? Purpose.WRITE : Purpose.valueOf(text(purpose)),
                    version == null ? 0 : Bytes.toLong(version), version, renewed == null ? null : Bytes.toLong(renewed),
                    renewed, r.getValue(RankSchema.LEDGER, RELEASED) != null,
                    attempt == null || attempt.length == 0 ? null : text(attempt));
        }

        /**
         * Whether nobody holds a live lease at server time {@code now}. A row without a renewal
         * time was written by a version of adrank that judged leases on the holder's clock: its
         * holder is long gone after an upgrade.
         */
        boolean free(long now, long leaseMillis) {
            return owner == null || released || renewedAt == null || WriteOrder.leaseExpired(renewedAt, leaseMillis, now);
        }
    }

    /** The held lock: closing it releases the lease (only while it is still this holder's). */
    public final class Held implements AutoCloseable {
        private final String owner;
        private final Purpose purpose;
        private final String abandonedAttempt;
        private final ScheduledExecutorService renewer;
        private volatile long version;
        private volatile String lost;

        private Held(String owner, Purpose purpose, long version, String abandonedAttempt) {
            this.owner = owner;
            this.purpose = purpose;
            this.version = version;
            this.abandonedAttempt = abandonedAttempt;
            this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "adrank-writer-lock");
                thread.setDaemon(true);
                return thread;
            });
            long every = Math.max(1, lease.toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
        }

        /** The write version this holder writes with now (the fencing token). */
        public long version() {
            return version;
        }

        /**
         * The ledger row of the last attempt of the previous holder, if it named one: if that
         * attempt is still RUNNING, its run ended without recording how (killed, or cut off from
         * HBase when it tried), and the new holder records it.
         */
        public Optional<String> abandonedAttempt() {
            return Optional.ofNullable(abandonedAttempt);
        }

        /**
         * Issues the next write version to this holder (one per run attempt, so two attempts
         * under one hold, e.g. a daily folding an older day first, are ordered too) and names the
         * attempt in the lock, before the attempt is recorded RUNNING.
         *
         * @param attemptRow the ledger row of the attempt that writes with a version
         * @throws LeaseLostException when the lease was taken over
         */
        public synchronized long nextVersion(LongFunction<String> attemptRow) throws IOException {
            long now = serverClock.now();
            long next = WriteOrder.nextVersion(now, version);
            Put put = new Put(ROW).addColumn(RankSchema.LEDGER, VERSION, Bytes.toBytes(next))
                    .addColumn(RankSchema.LEDGER, RENEWED_AT, Bytes.toBytes(now))
                    .addColumn(RankSchema.LEDGER, ATTEMPT, Bytes.toBytes(attemptRow.apply(next)));
            if (!mutateIfMine(put)) {
                throw lostNow();
            }
            version = next;
            return next;
        }

        /**
         * Renews the lease now and fails if it is no longer this holder's: what a run calls
         * before each phase and before it records success, so a run whose lease was lost stops
         * writing and never commits.
         *
         * @throws LeaseLostException when another run took the lease over
         */
        public synchronized void requireHeld() throws IOException {
            if (lost != null) {
                throw new LeaseLostException(lost);
            }
            if (!mutateIfMine(new Put(ROW).addColumn(RankSchema.LEDGER, RENEWED_AT, Bytes.toBytes(serverClock.now())))) {
                throw lostNow();
            }
        }

        private void renewQuietly() {
            try {
                requireHeld();
            } catch (LeaseLostException e) {
                // logged once; the run finds out at its next phase
                if (renewer.isShutdown()) {
                    return;
                }
                LOG.error(e.getMessage());
                renewer.shutdown();
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot renew the writer lock of {} (lease {}): {}", schema.namespace(), lease, e.toString());
            }
        }

        private LeaseLostException lostNow() throws IOException {
            String by = holder().map(h -> h.owner() + " (version " + h.version() + ")").orElse("nobody");
            lost = "the writer lock of " + schema.namespace() + " was taken over while " + owner + " held it: its "
                    + "lease of " + lease + " was not renewed in time, and it is now held by " + by
                    + ". This run stops and records nothing as done; its writes (version " + version
                    + ") are older than the new holder's";
            return new LeaseLostException(lost);
        }

        private boolean mutateIfMine(Put put) throws IOException {
            try (Table table = connection.getTable(schema.ledger())) {
                return table.checkAndMutate(CheckAndMutate.newBuilder(ROW)
                        .ifEquals(RankSchema.LEDGER, VERSION, Bytes.toBytes(version)).build(put)).isSuccess();
            }
        }

        /**
         * Releases the lease. When HBase does not answer within {@link BoundedWait#AFTER_UNREACHABLE}
         * (it has just failed the run, most likely) the run does not wait for it: the release goes on in
         * the background and otherwise the lease expires by itself ({@code hbase.writer-lease}).
         */
        @Override
        public void close() throws IOException {
            renewer.shutdownNow();
            // an interrupted run (a killed backfill) must still free the lock, or the next run waits a lease
            boolean interrupted = Thread.interrupted();
            try {
                BoundedWait.run("writer-lock-release", BoundedWait.AFTER_UNREACHABLE,
                        () -> mutateIfMine(new Put(ROW).addColumn(RankSchema.LEDGER, RELEASED, Bytes.toBytes(true))));
            } catch (BoundedWait.NoAnswer e) {
                LOG.warn("could not release the writer lock of {}: {}; it expires by itself within "
                        + "hbase.writer-lease = {}", schema.namespace(), e.getMessage(), lease);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String toString() {
            return owner + " [" + purpose + ", version " + version + "]";
        }
    }

    /** Takes the lock to write, failing at once when another run holds a live lease. */
    public Held acquire(String what) throws IOException {
        return acquire(what, Purpose.WRITE, Duration.ZERO);
    }

    /**
     * Takes the lock, waiting up to {@code wait} for a live lease of a writing run to end. A
     * publish that finds another publish holding the lock fails at once: two publishes of one
     * schema would only replace each other's version.
     *
     * @param what the run, e.g. {@code hourly 2026-10-02 05}, shown to whoever finds the lock taken
     * @throws IllegalStateException when the lock stays held (naming the holder)
     */
    public Held acquire(String what, Purpose purpose, Duration wait) throws IOException {
        String owner = what + " (run by " + ManagementFactory.getRuntimeMXBean().getName() + " at "
                + Instant.now() + ")";
        long deadline = System.nanoTime() + wait.toNanos();
        long lastNotice = 0;
        try (Table table = connection.getTable(schema.ledger())) {
            int raced = 0;
            while (true) {
                long now = serverClock.now();
                Row current = Row.of(table.get(new Get(ROW)));
                if (!current.free(now, lease.toMillis())) {
                    Instant until = Instant.ofEpochMilli(current.renewedAt() + lease.toMillis());
                    String heldBy = "schema " + schema.namespace() + " is being " + (current.purpose() == Purpose.PUBLISH
                            ? "published" : "written") + " by " + text(current.owner()) + "; its lease runs until "
                            + until + " (HBase's clock) unless renewed";
                    boolean mayWait = !(purpose == Purpose.PUBLISH && current.purpose() == Purpose.PUBLISH);
                    if (!mayWait || System.nanoTime() >= deadline) {
                        throw new IllegalStateException(heldBy + ". " + (mayWait ? "Runs of one schema must not overlap: "
                                + "wait for it (a run that died frees the lock when its lease expires, hbase.writer-lease = "
                                + lease + ")" : "Two publishes of one schema must not overlap: this one stops before "
                                + "loading anything"));
                    }
                    if (System.nanoTime() - lastNotice > TimeUnit.MINUTES.toNanos(1)) {
                        LOG.info("{}: waiting for the writer lock ({}), up to {}", what, heldBy, wait);
                        lastNotice = System.nanoTime();
                    }
                    sleep(Math.min(2000, Math.max(100, lease.toMillis() / 6)));
                    continue;
                }
                // the last holder's attempt, released or not: one that released the lock after HBase
                // failed it may not have recorded its end (the new holder checks, see abandonedAttempt)
                String abandoned = current.attempt();
                if (current.owner() != null && !current.released()) {
                    LOG.warn("taking over the expired writer lock of {} from {}", schema.namespace(),
                            text(current.owner()));
                }
                long version = WriteOrder.nextVersion(now, current.version());
                RowMutations take = new RowMutations(ROW);
                take.add(new Put(ROW).addColumn(RankSchema.LEDGER, OWNER, Bytes.toBytes(owner))
                        .addColumn(RankSchema.LEDGER, PURPOSE, Bytes.toBytes(purpose.name()))
                        .addColumn(RankSchema.LEDGER, VERSION, Bytes.toBytes(version))
                        .addColumn(RankSchema.LEDGER, RENEWED_AT, Bytes.toBytes(now))
                        .addColumn(RankSchema.LEDGER, ATTEMPT, new byte[0]));
                take.add(new Delete(ROW).addColumns(RankSchema.LEDGER, RELEASED));
                if (table.checkAndMutate(unchangedSince(current).build(take)).isSuccess()) {
                    return new Held(owner, purpose, version, abandoned);
                }
                // another run took it, or its holder renewed it, between the read and the check: look again
                if (++raced > 10) {
                    throw new IllegalStateException("schema " + schema.namespace() + ": the writer lock kept changing "
                            + "hands; another run is starting, try again");
                }
            }
        }
    }

    /** The condition that the lock row is as read: same version and same last renewal (or none yet). */
    private static CheckAndMutate.Builder unchangedSince(Row read) {
        CheckAndMutate.Builder check = CheckAndMutate.newBuilder(ROW);
        if (read.versionRaw() == null) {
            return check.ifNotExists(RankSchema.LEDGER, VERSION);
        }
        SingleColumnValueFilter sameVersion = new SingleColumnValueFilter(RankSchema.LEDGER, VERSION,
                CompareOperator.EQUAL, read.versionRaw());
        sameVersion.setFilterIfMissing(true);
        if (read.renewedRaw() == null) {
            return check.ifMatches(sameVersion);
        }
        SingleColumnValueFilter sameRenewal = new SingleColumnValueFilter(RankSchema.LEDGER, RENEWED_AT,
                CompareOperator.EQUAL, read.renewedRaw());
        sameRenewal.setFilterIfMissing(true);
        return check.ifMatches(new FilterList(FilterList.Operator.MUST_PASS_ALL, sameVersion, sameRenewal));
    }

    /** The current holder, if any (an expired lease included; a released lock has none). */
    public Optional<Holder> holder() throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            Row current = Row.of(table.get(new Get(ROW)));
            if (current.owner() == null || current.released()) {
                return Optional.empty();
            }
            Instant expires = current.renewedAt() == null ? Instant.EPOCH
                    : Instant.ofEpochMilli(current.renewedAt() + lease.toMillis());
            return Optional.of(new Holder(text(current.owner()), current.purpose(), expires, current.version()));
        }
    }

    /** HBase's time as this lock sees it (the skew of the constructor included): what leases are judged on. */
    public Instant serverTime() throws IOException {
        return Instant.ofEpochMilli(serverClock.now());
    }

    /** The HBase server's time: the timestamp it gives an increment of the lock row's clock cell. */
    private long hbaseNow() throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            Result ticked = table.increment(new Increment(ROW).addColumn(RankSchema.LEDGER, CLOCK, 1));
            return ticked.getColumnLatestCell(RankSchema.LEDGER, CLOCK).getTimestamp();
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the writer lock");
        }
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
