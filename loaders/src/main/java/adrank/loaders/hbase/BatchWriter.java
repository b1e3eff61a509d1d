package adrank.loaders.hbase;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import adrank.loaders.config.HBaseConfig;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;
import org.apache.hadoop.hbase.client.Mutation;
import org.apache.hadoop.hbase.client.Table;

/**
 * Writes an executor's mutations to one table in synchronous batches of {@code hbase.write-batch-rows}
 * ({@link Table#batch}: one multi request per region server per batch). Used instead of a
 * {@code BufferedMutator}, whose flow control re-walks its whole queue of small mutations and
 * recomputes their heap sizes on every submit while a region's request is in flight: with ~1 M
 * one- or two-cell mutations per run that bookkeeping was a third of the job's CPU (JFR, see
 * BENCHMARKS.md). A failed batch throws (after the client's retries) with the failed rows.
 * Not thread-safe; one per task. Closing flushes what is pending; the table and connection are closed with it.
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
        try {
            table.batch(batch, new Object[batch.size()]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (IOException) new InterruptedIOException("interrupted while writing to " + table.getName())
                    .initCause(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            try {
                table.close();
            } finally {
                connection.close();
            }
        }
    }
}
