package adrank.jobs.pipeline;

import adrank.loaders.hbase.WriterLock;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step of every run's lifecycle: lock → version → ledger RUNNING → work → fenced
 * commit. Holds the schema's {@link WriterLock} around the work; when the lock was taken over
 * from a run that died holding it (killed, or cut off from HBase), records that run's attempt as
 * FAILED first, so the ledger never keeps a phantom RUNNING attempt. The versions, the RUNNING
 * record and the fenced commit are each attempt's ({@link RunAttempt}).
 */
final class SchemaLock {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLock.class);

    /** Work done while holding the lock. */
    @FunctionalInterface
    interface LockedWork<T> {
        T run(WriterLock.Held lock) throws IOException;
    }

    private SchemaLock() {
    }

    /** Runs {@code work} holding the lock to write (fails at once if another run holds it). */
    static <T> T write(RunContext ctx, String what, LockedWork<T> work) throws IOException {
        return hold(ctx, what, WriterLock.Purpose.WRITE, Duration.ZERO, work);
    }

    static <T> T hold(RunContext ctx, String what, WriterLock.Purpose purpose, Duration wait, LockedWork<T> work)
            throws IOException {
        try (WriterLock.Held lock = ctx.writerLock().acquire(what, purpose, wait)) {
            if (lock.abandonedAttempt().isPresent()) {
                ctx.ledger().endAbandoned(lock.abandonedAttempt().get(), "ended without recording how: its run "
                        + "was killed or cut off from HBase before it could record its end; " + what
                        + " took the writer lock over").ifPresent(run -> LOG.warn("{}: recorded the abandoned attempt {} of {} "
                                + "as {}", what, run.runId(), run.unit(), run.status()));
            }
            return work.run(lock);
        }
    }
}
