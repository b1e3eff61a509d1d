package adrank.loaders.hbase;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.hadoop.hbase.client.CheckAndMutate;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per schema at a time: hourly and daily runs of a schema read cells other runs write
 * (today is the sum of the day's hour cells, the fold reads them all), so two at once could each
 * miss the other's cells. The lock is a lease in the ledger table ({@code lock|writer}), taken and
 * renewed with HBase check-and-mutate, so it holds across processes and machines (a backfill and
 * the scheduler). The holder renews it every third of {@code hbase.writer-lease}; a run that died
 * leaves a lease that expires, after which the next run takes it over.
 */
public final class WriterLock {

    private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);

    static final byte[] ROW = Bytes.toBytes("lock|writer");
    private static final byte[] OWNER = Bytes.toBytes("owner");
    private static final byte[] EXPIRES = Bytes.toBytes("expires_at");

    private final Connection connection;
    private final RankSchema schema;
    private final Duration lease;
    private final LongSupplier clock;

    public WriterLock(Connection connection, RankSchema schema, Duration lease) {
        this(connection, schema, lease, System::currentTimeMillis);
    }

    WriterLock(Connection connection, RankSchema schema, Duration lease, LongSupplier clock) {
        this.connection = connection;
        this.schema = schema;
        this.lease = lease;
        this.clock = clock;
    }

    /** Who holds the lock and until when, if anybody does (expired leases included). */
    public record Holder(String owner, Instant expiresAt) {
    }

    /** The held lock: closing it releases the lease (only if it is still this holder's). */
    public final class Held implements AutoCloseable {
        private final byte[] owner;
        private final ScheduledExecutorService renewer;

        private Held(byte[] owner) {
            this.owner = owner;
            this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "adrank-writer-lock");
                thread.setDaemon(true);
                return thread;
            });
            long every = Math.max(1, lease.toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
        }

        private void renew() {
            try (Table table = connection.getTable(schema.ledger())) {
                boolean renewed = table.checkAndMutate(CheckAndMutate.newBuilder(ROW)
                        .ifEquals(RankSchema.LEDGER, OWNER, owner)
                        .build(new Put(ROW).addColumn(RankSchema.LEDGER, EXPIRES, expiry()))).isSuccess();
                if (!renewed) {
                    LOG.error("the writer lock of {} was taken over by another run while {} held it (its lease of {} "
                            + "was not renewed in time)", schema.namespace(), text(owner), lease);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot renew the writer lock of {}: {}", schema.namespace(), e.toString());
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
                BoundedWait.run("writer-lock-release", BoundedWait.AFTER_UNREACHABLE, () -> {
                    try (Table table = connection.getTable(schema.ledger())) {
                        table.checkAndMutate(CheckAndMutate.newBuilder(ROW).ifEquals(RankSchema.LEDGER, OWNER, owner)
                                .build(new Delete(ROW)));
                    }
                });
            } catch (BoundedWait.NoAnswer e) {
                LOG.warn("could not release the writer lock of {}: {}; it expires by itself within "
                        + "hbase.writer-lease = {}", schema.namespace(), e.getMessage(), lease);
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Takes the lock for a run, or fails naming the run that holds it.
     *
     * @param what the run, e.g. {@code hourly 2026-10-02 05}, shown to whoever finds the lock taken
     * @throws IllegalStateException when another run holds an unexpired lease
     */
    public Held acquire(String what) throws IOException {
        byte[] owner = Bytes.toBytes(what + " (run by " + ManagementFactory.getRuntimeMXBean().getName() + " at "
                + Instant.ofEpochMilli(clock.getAsLong()) + ")");
        Put take = new Put(ROW).addColumn(RankSchema.LEDGER, OWNER, owner).addColumn(RankSchema.LEDGER, EXPIRES, expiry());
        try (Table table = connection.getTable(schema.ledger())) {
            for (int attempt = 0; attempt < 3; attempt++) {
                Result current = table.get(new Get(ROW));
                byte[] heldBy = current.getValue(RankSchema.LEDGER, OWNER);
                CheckAndMutate.Builder check = CheckAndMutate.newBuilder(ROW);
                if (heldBy == null) {
                    check.ifNotExists(RankSchema.LEDGER, OWNER);
                } else {
                    long expiresAt = Long.parseLong(text(current.getValue(RankSchema.LEDGER, EXPIRES)));
                    if (expiresAt > clock.getAsLong()) {
                        throw new IllegalStateException("schema " + schema.namespace() + " is being written by "
                                + text(heldBy) + "; its lease runs until " + Instant.ofEpochMilli(expiresAt)
                                + ". Runs of one schema must not overlap: wait for it (a run that died frees the "
                                + "lock when its lease expires, hbase.writer-lease = " + lease + ")");
                    }
                    LOG.warn("taking over the expired writer lock of {} from {}", schema.namespace(), text(heldBy));
                    check.ifEquals(RankSchema.LEDGER, OWNER, heldBy);
                }
                if (table.checkAndMutate(check.build(take)).isSuccess()) {
                    return new Held(owner);
                }
                // somebody else changed the lock between the read and the check: look again
            }
        }
        throw new IllegalStateException("schema " + schema.namespace() + ": the writer lock kept changing hands; "
                + "another run is starting, try again");
    }

    /** The current holder, if any (an expired lease included). */
    public Optional<Holder> holder() throws IOException {
        try (Table table = connection.getTable(schema.ledger())) {
            Result current = table.get(new Get(ROW));
            byte[] owner = current.getValue(RankSchema.LEDGER, OWNER);
            return owner == null ? Optional.empty() : Optional.of(new Holder(text(owner),
                    Instant.ofEpochMilli(Long.parseLong(text(current.getValue(RankSchema.LEDGER, EXPIRES))))));
        }
    }

    private byte[] expiry() {
        return Bytes.toBytes(Long.toString(clock.getAsLong() + lease.toMillis()));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
    }
}
