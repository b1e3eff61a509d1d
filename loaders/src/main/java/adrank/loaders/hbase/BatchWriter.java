package adrank.loaders.hbase;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import adrank.loaders.config.HBaseConfig;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.OperationTimeoutExceededException;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Row;
import org.apache.hadoop.hbase.client.Table;

/**
 * Writes an executor's mutations to one table in synchronous batches of {@code hbase.write-batch-rows}
 * ({@link Table#batch}: one multi request per region server per batch). Used instead of a
 * {@code BufferedMutator}, whose flow control re-walks its whole queue of small mutations and
 * recomputes their heap sizes on every submit while a region's request is in flight: with ~1 M
 * one- or two-cell mutations per run that bookkeeping was a third of the job's CPU (JFR, see
 * BENCHMARKS.md). A failed batch throws (after the client's retries) with the failed rows.
 * Not thread-safe; one per task. Callers {@link #flush} at the end of their work; closing only
 * closes the table and the connection, so a task that fails (HBase unreachable) does not wait for
 * HBase once more with rows it cannot write anyway.
 *
 * <p>Every executor-side writer (hour cells, fold, results, parents) writes through one opened by
 * {@link #open}, which owns the task's connection: the connection settings (and their bounds on
 * an unreachable cluster) live in {@link HBaseConfig#toHadoopConfiguration} alone.
 */
public final class BatchWriter implements AutoCloseable {

    private final Connection connection;
    private final Table table;
    private final int batchRows;
    private List<Mutation> pending;

    private BatchWriter(Connection connection, TableName table, int batchRows) throws IOException {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batch rows must be at least 1, got " + batchRows);
        }
        this.connection = connection;
        this.table = connection.getTable(table);
        this.batchRows = batchRows;
        this.pending = new ArrayList<>(batchRows);
    }

    /** An executor task's writer to {@code table} on a connection of its own, closed with the writer. */
    public static BatchWriter open(HBaseConfig hbase, TableName table) throws IOException {
        Connection connection = ConnectionFactory.createConnection(hbase.toHadoopConfiguration());
        try {
            return new BatchWriter(connection, table, hbase.writeBatchRows());
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** The table written to, for the reads a task makes of the rows it is about to write. */
    public Table table() {
        return table;
    }

    /** Queues a mutation; sends the batch when it is full. */
    public void mutate(Mutation mutation) throws IOException {
        pending.add(mutation);
        if (pending.size() >= batchRows) {
            flush();
        }
    }

    /** Sends what is queued and waits until the region servers have applied it. */
    public void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        List<Mutation> batch = pending;
        pending = new ArrayList<>(batchRows);
        batch(table, batch, new Object[batch.size()]);
    }

    /** A multi-get through {@link #batch}: the results in the order of {@code gets}. */
    public static Result[] get(Table table, List<Get> gets) throws IOException {
        Object[] results = new Object[gets.size()];
        batch(table, gets, results);
        Result[] out = new Result[results.length];
        for (int i = 0; i < results.length; i++) {
            out[i] = (Result) results[i];
        }
        return out;
    }

    /**
     * {@link Table#batch}, with the HBase 2.6 client's answer to a batch that runs out of
     * {@code hbase.client.operation.timeout} while locating its regions turned into the exception it
     * means: when some rows' region lookups failed before the timeout, the client fails them twice and
     * throws an {@code AssertionError: Incorrect actions in progress ...} listing every row's result
     * (HBASE-27781) instead of an {@link OperationTimeoutExceededException}.
     */
    static void batch(Table table, List<? extends Row> actions, Object[] results) throws IOException {
        try {
            table.batch(actions, results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException("interrupted while writing to " + table.getName())
                    .initCause(e);
        } catch (AssertionError e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("Incorrect actions in progress")) {
                throw e;
            }
            OperationTimeoutExceededException timeout = new OperationTimeoutExceededException("a batch of "
                    + actions.size() + " operations on " + table.getName() + " timed out locating its regions "
                    + "(HBASE-27781: thrown as an AssertionError)");
            timeout.addSuppressed(e);
            throw timeout;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            table.close();
        } finally {
            connection.close();
        }
    }
}
