package adrank.loaders.hbase;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FilterList;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.apache.hadoop.hbase.filter.KeyOnlyFilter;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The stored rows of a schema as one side of {@code rank compare}: a batch of keys looked up in
 * one multi-get, and the row count by a key-only scan (the region server sends row keys, no cells).
 */
public final class RankRowBatches {

    private final Connection connection;
    private final RankSchema schema;

    public RankRowBatches(Connection connection, RankSchema schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** The stored rows of those keys that exist. */
    public Map<String, StoredRow> getAll(Collection<String> keys) throws IOException {
        List<Get> gets = new ArrayList<>(keys.size());
        for (String key : keys) {
            gets.add(new Get(Bytes.toBytes(key)));
        }
        Map<String, StoredRow> found = new HashMap<>();
        try (Table table = connection.getTable(schema.ranks())) {
            for (Result r : table.get(gets)) {
                if (r != null && !r.isEmpty()) {
                    StoredRow row = StoredRow.decode(r);
                    found.put(row.key(), row);
                }
            }
        }
        return found;
    }

    /** Rows in the ranks table. */
    public long count() throws IOException {
        Scan scan = new Scan().setCaching(10_000).setCacheBlocks(false)
                .setFilter(new FilterList(new FirstKeyOnlyFilter(), new KeyOnlyFilter()));
        long n = 0;
        try (Table table = connection.getTable(schema.ranks()); ResultScanner scanner = table.getScanner(scan)) {
            while (scanner.next() != null) {
                n++;
            }
        }
        return n;
    }
}
