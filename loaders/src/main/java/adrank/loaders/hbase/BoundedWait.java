package adrank.loaders.hbase;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A write to HBase that a run waits for only so long: what a run does after HBase proved unreachable
 * (recording its failure in the ledger, releasing its writer lock) would otherwise wait the whole
 * {@code hbase.unreachable-timeout} again, each. The write goes on in a daemon thread after the wait
 * ends (and lands if HBase answers before the client gives up); the caller is told it did not answer.
 */
public final class BoundedWait {

    /** How long a run waits for each write after HBase proved unreachable. */
    public static final Duration AFTER_UNREACHABLE = Duration.ofSeconds(5);

    private BoundedWait() {
    }

    /** An HBase write. */
    @FunctionalInterface
    public interface Write {
        void run() throws IOException;
    }

    /** The write did not end within the wait (it goes on in the background). */
    public static final class NoAnswer extends IOException {
        private static final long serialVersionUID = 1L;

        NoAnswer(String message) {
            super(message);
        }
    }

    /**
     * Runs {@code write} in a daemon thread named {@code adrank-<name>} and waits at most {@code wait}
     * for it.
     *
     * @throws NoAnswer when it has not ended by then
     * @throws IOException what the write threw, when it failed within the wait
     */
    public static void run(String name, Duration wait, Write write) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                write.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "adrank-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NoAnswer("HBase did not answer within " + wait.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + name);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }
}
