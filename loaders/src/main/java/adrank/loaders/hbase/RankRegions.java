package adrank.loaders.hbase;

import adrank.udfs.key.SplitPoints;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.RegionInfo;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.filter.FirstKeyOnlyFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regions of a schema's ranks table. The table is created with one region; the first hour
 * written into it splits it into {@code hbase.presplit-regions} at the quantiles of that hour's
 * keys ({@link SplitPoints}), so that later hours, which touch mostly the same keys, spread their
 * writes and scans over every region. Splitting happens only while the table is empty: a region
 * that holds rows cannot be split again until its daughters are compacted, and HBase's own
 * size-based split policy takes over from there.
 */
public final class RankRegions {

    private static final Logger LOG = LoggerFactory.getLogger(RankRegions.class);

    private RankRegions() {
    }

    /** The table's split points: the start keys of its regions but the first, in order. */
    public static List<byte[]> splitPoints(Connection connection, TableName table) throws IOException {
        try (Admin admin = connection.getAdmin()) {
            List<byte[]> points = new ArrayList<>();
            for (RegionInfo region : admin.getRegions(table)) {
                if (region.getStartKey().length > 0 && region.getReplicaId() == 0) {
                    points.add(region.getStartKey());
                }
            }
            points.sort(Arrays::compareUnsigned);
            return points;
        }
    }

    /** Whether the table holds no row at all. */
    public static boolean isEmpty(Connection connection, TableName table) throws IOException {
        try (Table t = connection.getTable(table);
                ResultScanner scanner = t.getScanner(new Scan().setLimit(1).setFilter(new FirstKeyOnlyFilter()))) {
            return scanner.next() == null;
        }
    }

    /**
     * Whether an hour about to be written should first split the table: it has fewer regions than
     * {@code regions} and no rows yet.
     */
    public static boolean needsSplit(Connection connection, TableName table, int regions) throws IOException {
        return regions > 1 && splitPoints(connection, table).size() + 1 < regions && isEmpty(connection, table);
    }

    /**
     * Splits the (empty) table at {@code points}, one split at a time, each waited for within
     * {@code timeout}. Points that are already region boundaries are skipped.
     *
     * @return the number of splits made
     */
    public static int split(Connection connection, TableName table, List<byte[]> points, Duration timeout)
            throws IOException {
        int made = 0;
        try (Admin admin = connection.getAdmin()) {
            for (byte[] point : points) {
                RegionInfo region = regionHolding(admin.getRegions(table), point);
                if (region == null || Arrays.equals(region.getStartKey(), point)) {
                    continue;
                }
                try {
                    admin.splitRegionAsync(region.getRegionName(), point).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while splitting " + table, e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IOException("cannot split " + table + " at " + org.apache.hadoop.hbase.util.Bytes
                            .toStringBinary(point) + " within " + timeout.toSeconds() + " s: " + e.getMessage(), e);
                }
                made++;
            }
        }
        LOG.info("split {} at {} sampled key(s): {} region(s) now", table, made, splitPoints(connection, table).size() + 1);
        return made;
    }

    private static RegionInfo regionHolding(List<RegionInfo> regions, byte[] key) {
        for (RegionInfo region : regions) {
            if (region.getReplicaId() == 0 && region.containsRow(key)) {
                return region;
            }
        }
        return null;
    }
}
