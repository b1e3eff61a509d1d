package adrank.loaders.hazelcast;

import com.hazelcast.aggregation.Aggregator;
import java.util.Map;

/**
 * Count and checksum of a loaded snapshot map, computed where the data lives: each member sums
 * {@link SnapshotEntry#checksum} over its own partitions in parallel and only the partial sums
 * travel. The result is comparable to the {@link LoadResult} the loaders computed from the source rows.
 */
final class ChecksumAggregator implements Aggregator<Map.Entry<String, SnapshotEntry>, LoadResult> {

    private static final long serialVersionUID = 1L;

    long count;
    long checksum;

    ChecksumAggregator() {
    }

    ChecksumAggregator(long count, long checksum) {
        this.count = count;
        this.checksum = checksum;
    }

    @Override
    public void accumulate(Map.Entry<String, SnapshotEntry> entry) {
        count++;
        checksum += entry.getValue().checksum(entry.getKey());
    }

    @Override
    public void combine(Aggregator aggregator) {
        ChecksumAggregator other = (ChecksumAggregator) aggregator;
        count += other.count;
        checksum += other.checksum;
    }

    @Override
    public LoadResult aggregate() {
        return new LoadResult(count, checksum);
    }
}
