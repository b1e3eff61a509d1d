package adrank.loaders.hbase;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/** Reads rows of the ranks table for {@code show} and {@code export} (a client-side stream). */
public final class RankRows {

    private final Connection connection;
    private final RankSchema schema;

    public RankRows(Connection connection, RankSchema schema) {
        this.connection = connection;
        this.schema = schema;
    }

    public Optional<StoredRow> get(String key) throws IOException {
        try (Table table = connection.getTable(schema.ranks())) {
            Result result = table.get(new Get(Bytes.toBytes(key)));
            return result.isEmpty() ? Optional.empty() : Optional.of(StoredRow.decode(result));
        }
    }

    /** Streams every row in key order (HBase row order) to {@code sink}; returns the row count. */
    public long forEach(Consumer<StoredRow> sink) throws IOException {
        long count = 0;
        try (Table table = connection.getTable(schema.ranks());
                ResultScanner scanner = table.getScanner(new Scan().setCaching(1000).setCacheBlocks(false))) {
            for (Result result : scanner) {
                sink.accept(StoredRow.decode(result));
                count++;
            }
        }
        return count;
    }
}
