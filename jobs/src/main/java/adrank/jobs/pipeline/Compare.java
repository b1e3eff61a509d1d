package adrank.jobs.pipeline;

import adrank.jobs.cli.RowJson;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.key.ImpressionKey;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * {@code rank compare --schema A --vs B}: walks both ranks tables in key order at once (a merge
 * join on the driver: constant memory, no Spark) and counts the keys whose stored state or
 * results differ, keeping the largest rank changes. Run ids and computation times are ignored,
 * so a backfill of the same input compares identical to the scheduled runs.
 */
public final class Compare {

    private static final Comparator<Change> BY_SIZE = Comparator.comparingDouble((Change c) -> Math.abs(c.change()))
            .thenComparing(Change::key, Comparator.reverseOrder());

    private Compare() {
    }

    /** A key whose rank differs between the two schemas. */
    public record Change(String key, double rankA, double rankB) {
        public double change() {
            return rankB - rankA;
        }

        /** Relative change in percent (infinite from a rank of 0). */
        public double percent() {
            return rankA == 0 ? Double.POSITIVE_INFINITY * Math.signum(change()) : 100 * change() / Math.abs(rankA);
        }
    }

    /**
     * What differs.
     *
     * @param different   keys in both whose state or results differ
     * @param rankChanged keys in both with a rank on both sides that changed
     * @param largest     the largest rank changes by absolute value, largest first
     */
    public record Outcome(String schemaA, String schemaB, long keysA, long keysB, long onlyInA, long onlyInB,
            long identical, long different, long rankChanged, List<Change> largest, Duration elapsed) {

        /** Keys that are not identical on both sides (different or only on one side). */
        public long differing() {
            return different + onlyInA + onlyInB;
        }
    }

    /** Compares the ranks tables of two schemas of the same HBase cluster. */
    public static Outcome run(RunContext ctx, String schemaA, String schemaB, int top) throws IOException {
        Instant start = Instant.now();
        Connection hbase = ctx.hbase();
        RankSchema a = new RankSchema(ctx.config().hbase().namespace(schemaA));
        RankSchema b = new RankSchema(ctx.config().hbase().namespace(schemaB));
        requireTable(hbase, a.ranks(), schemaA);
        requireTable(hbase, b.ranks(), schemaB);
        RowJson json = new RowJson(new ImpressionKey(ctx.config().key().separator()), ctx.config().key().dimensions());
        PriorityQueue<Change> largest = new PriorityQueue<>(BY_SIZE);
        long keysA = 0;
        long keysB = 0;
        long onlyA = 0;
        long onlyB = 0;
        long identical = 0;
        long different = 0;
        long rankChanged = 0;
        try (Table tableA = hbase.getTable(a.ranks()); Table tableB = hbase.getTable(b.ranks());
                ResultScanner scanA = tableA.getScanner(scan()); ResultScanner scanB = tableB.getScanner(scan())) {
            Iterator<Result> itA = scanA.iterator();
            Iterator<Result> itB = scanB.iterator();
            Result ra = itA.hasNext() ? itA.next() : null;
            Result rb = itB.hasNext() ? itB.next() : null;
            while (ra != null || rb != null) {
                int order = ra == null ? 1 : rb == null ? -1 : Bytes.compareTo(ra.getRow(), rb.getRow());
                if (order < 0) {
                    keysA++;
                    onlyA++;
                    ra = itA.hasNext() ? itA.next() : null;
                    continue;
                }
                if (order > 0) {
                    keysB++;
                    onlyB++;
                    rb = itB.hasNext() ? itB.next() : null;
                    continue;
                }
                keysA++;
                keysB++;
                StoredRow rowA = StoredRow.decode(ra);
                StoredRow rowB = StoredRow.decode(rb);
                if (json.toJson(rowA, false).equals(json.toJson(rowB, false))) {
                    identical++;
                } else {
                    different++;
                    Double rankA = rank(rowA);
                    Double rankB = rank(rowB);
                    if (rankA != null && rankB != null && !rankA.equals(rankB)) {
                        rankChanged++;
                        largest.add(new Change(rowA.key(), rankA, rankB));
                        if (largest.size() > top) {
                            largest.poll();
                        }
                    }
                }
                ra = itA.hasNext() ? itA.next() : null;
                rb = itB.hasNext() ? itB.next() : null;
            }
        }
        List<Change> sorted = new ArrayList<>(largest);
        sorted.sort(BY_SIZE.reversed());
        return new Outcome(schemaA, schemaB, keysA, keysB, onlyA, onlyB, identical, different, rankChanged,
                List.copyOf(sorted), Duration.between(start, Instant.now()));
    }

    private static Scan scan() {
        return new Scan().setCaching(1000).setCacheBlocks(false);
    }

    private static Double rank(StoredRow row) {
        String rank = row.results().get("rank");
        return rank == null || rank.isEmpty() ? null : Double.valueOf(rank);
    }

    private static void requireTable(Connection hbase, TableName table, String schema) throws IOException {
        try (Admin admin = hbase.getAdmin()) {
            if (!admin.tableExists(table)) {
                throw new RunFailedException("schema " + schema + " has no table " + table
                        + " (nothing was ever run into it)");
            }
        }
    }
}
