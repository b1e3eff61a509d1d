package adrank.jobs.pipeline;

import adrank.jobs.cli.RowJson;
import adrank.loaders.config.KeyConfig;
import adrank.loaders.hazelcast.FallbackRule;
import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.loaders.hazelcast.SnapshotRows;
import adrank.loaders.hazelcast.SnapshotScan;
import adrank.loaders.hazelcast.SnapshotValueException;
import adrank.loaders.hazelcast.VersionControlException;
import adrank.loaders.hazelcast.VersionRef;
import adrank.loaders.hbase.RankRowBatches;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.compare.Movers;
import adrank.udfs.compare.RankRatios;
import adrank.udfs.compare.TopK;
import adrank.udfs.experiment.Murmur3;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.stats.Counters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.ResultScanner;
import org.apache.hadoop.hbase.client.Scan;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank compare}: two sides side by side, each the stored rows of a schema or a snapshot
 * version of a schema. Counts keys in both / only in A / only in B and identical keys, the
 * distribution of the rank ratio B/A ({@link RankRatios}) and the top movers of the top segments
 * ({@link Movers}), all in bounded memory on the driver, no Spark:
 * <ul>
 *   <li>stored rows against stored rows: both ranks tables walked in key order at once (a merge
 *       join), as before;</li>
 *   <li>otherwise side A is read in batches ({@code IMap.iterator(fetchSize)} or an HBase scan) and
 *       each batch's keys looked up on side B in one round trip ({@code IMap.getAll} or a multi-get);
 *       keys only in B are B's entry count minus the keys in both (a snapshot's size, or a key-only
 *       scan of the stored rows), their impressions B's member-side totals minus those of the keys
 *       in both.</li>
 * </ul>
 * "Identical" means the whole record: for two stored rows the state and results (run ids and times
 * ignored), otherwise the snapshot entry (a stored row as the publish would load it) but its
 * {@code computed_at}.
 */
public final class Compare {

    private static final Logger LOG = LoggerFactory.getLogger(Compare.class);

    /** The segment of every key when no level is given. */
    public static final String ALL = "all";

    private Compare() {
    }

    /**
     * One side: the stored rows of a schema ({@code version} null) or a snapshot version of it.
     */
    public record Side(String schema, VersionRef version) {
        public static Side stored(String schema) {
            return new Side(schema, null);
        }

        public boolean isStored() {
            return version == null;
        }
    }

    /**
     * How to compare.
     *
     * @param movers       movers kept per segment
     * @param segmentLevel key dimensions of the segments, null for one segment {@link #ALL}
     * @param segmentTop   segments reported
     * @param order        how the reported segments are chosen
     * @param batchSize    keys per fetch and per lookup
     * @param samplePoints keys of the A-vs-B scatter (a uniform sample: smallest key hashes)
     * @param progress     how often progress is logged
     */
    public record Options(int movers, List<String> segmentLevel, int segmentTop, Movers.Order order, int batchSize,
            int samplePoints, Duration progress) {
        public static Options defaults(int movers) {
            return new Options(movers, null, 1, Movers.Order.REVENUE, 1000, 2000, Duration.ofSeconds(10));
        }
    }

    /** One key of the scatter sample: ranks in micros CPM. */
    public record Point(String key, double rankA, double rankB) {
    }

    /**
     * What the comparison found.
     *
     * @param sideA              e.g. {@code schema default v3 (active)} or {@code schema default (stored rows)}
     * @param keysA              keys of side A
     * @param both               keys in both
     * @param onlyInAImpressions impressions (total-to-limit + today) of the keys only in A
     * @param onlyInBImpressions of the keys only in B; null when B is stored rows (not summed)
     * @param identical          keys in both whose whole record is the same ({@link #identity})
     * @param different          keys in both that are not identical
     * @param rankChanged        keys in both with a rank on both sides that differs
     * @param identity           what "identical" compared
     * @param segmentCount       segments seen
     * @param segments           the top segments with their movers
     * @param sample             the scatter sample (keys with a positive rank on both sides)
     */
    public record Outcome(String sideA, String sideB, String schemaA, String schemaB, long keysA, long keysB,
            long both, long onlyInA, long onlyInB, long onlyInAImpressions, Long onlyInBImpressions, long identical,
            long different, long rankChanged, String identity, RankRatios ratios, List<String> segmentLevel,
            Movers.Order order, int segmentCount, List<Movers.Segment> segments, List<Point> sample,
            Duration elapsed) {

        /** Keys that are not identical on both sides (different or only on one side). */
        public long differing() {
            return different + onlyInA + onlyInB;
        }
    }

    /** The stored rows of two schemas of the same HBase cluster (what {@code --vs SCHEMA} does). */
    public static Outcome run(RunContext ctx, String schemaA, String schemaB, int movers) throws IOException {
        return run(ctx, Side.stored(schemaA), Side.stored(schemaB), Options.defaults(movers));
    }

    /** Compares two sides. */
    public static Outcome run(RunContext ctx, Side a, Side b, Options options) throws IOException {
        Clock clock = ctx.clock();
        Instant start = clock.instant();
        Reader ra = open(ctx, a);
        Reader rb = open(ctx, b);
        if (!ra.key().equals(rb.key())) {
            throw new RunFailedException(ra.describe() + " has keys " + ra.key() + ", " + rb.describe() + " has keys "
                    + rb.key() + ": their keys cannot be compared");
        }
        ParentKeys parents = new ParentKeys(ra.key().dimensions(), ra.key().separator());
        List<String> level = null;
        if (options.segmentLevel() != null) {
            try {
                level = parents.canonical(options.segmentLevel());
            } catch (IllegalArgumentException e) {
                throw new RunFailedException("--segment-level: " + e.getMessage());
            }
        }
        Acc acc = new Acc(options, parents, level, ra.key());
        Progress progress = new Progress(clock, options.progress(), ra.describe(), ra.size());
        long keysA;
        long keysB;
        long onlyB;
        Long onlyBImps;
        String identity;
        if (a.isStored() && b.isStored()) {
            long[] counts = mergeJoin(ctx, (StoredReader) ra, (StoredReader) rb, acc, progress);
            keysA = counts[0];
            keysB = counts[1];
            onlyB = counts[2];
            onlyBImps = counts[3];
            identity = "stored state and results (run ids and times ignored)";
        } else {
            keysA = lookupJoin(ra, rb, acc, progress, options.batchSize());
            keysB = rb.count();
            onlyB = keysB - acc.both;
            Long total = rb.impressions();
            onlyBImps = total == null ? null : total - acc.bothImpsB;
            identity = "snapshot entry, every field but computed_at";
            ra.finish();
            rb.finish();
        }
        if (onlyB < 0) {
            throw new RunFailedException(rb.describe() + " changed while it was read (" + keysB + " keys, "
                    + acc.both + " found from A); run the comparison again");
        }
        List<Point> sample = acc.sample.best().stream().map(TopK.Scored::item).toList();
        LOG.info("compare {} vs {}: {} keys in both, {} only in A, {} only in B in {}", ra.describe(), rb.describe(),
                acc.both, acc.onlyA, onlyB, Duration.between(start, clock.instant()));
        return new Outcome(ra.describe(), rb.describe(), a.schema(), b.schema(), keysA, keysB, acc.both, acc.onlyA,
                onlyB, acc.onlyAImps, onlyBImps, acc.identical, acc.both - acc.identical, acc.rankChanged, identity,
                acc.ratios, level, options.order(), acc.movers.segments(),
                acc.movers.top(options.segmentTop(), options.order()), sample, Duration.between(start, clock.instant()));
    }

    // ---- the two joins ----

    /** Both ranks tables in key order; returns keys A, keys B, only in B, impressions only in B. */
    private static long[] mergeJoin(RunContext ctx, StoredReader a, StoredReader b, Acc acc, Progress progress)
            throws IOException {
        Connection hbase = ctx.hbase();
        long keysA = 0;
        long keysB = 0;
        long onlyB = 0;
        long onlyBImps = 0;
        try (Table tableA = hbase.getTable(a.schema.ranks()); Table tableB = hbase.getTable(b.schema.ranks());
                ResultScanner scanA = tableA.getScanner(scan()); ResultScanner scanB = tableB.getScanner(scan())) {
            Iterator<Result> itA = scanA.iterator();
            Iterator<Result> itB = scanB.iterator();
            Result ra = itA.hasNext() ? itA.next() : null;
            Result rb = itB.hasNext() ? itB.next() : null;
            while (ra != null || rb != null) {
                int order = ra == null ? 1 : rb == null ? -1 : Bytes.compareTo(ra.getRow(), rb.getRow());
                if (order < 0) {
                    keysA++;
                    acc.onlyA(Item.of(StoredRow.decode(ra)));
                    ra = itA.hasNext() ? itA.next() : null;
                } else if (order > 0) {
                    keysB++;
                    onlyB++;
                    onlyBImps += Item.of(StoredRow.decode(rb)).imps;
                    rb = itB.hasNext() ? itB.next() : null;
                } else {
                    keysA++;
                    keysB++;
                    acc.both(Item.of(StoredRow.decode(ra)), Item.of(StoredRow.decode(rb)));
                    ra = itA.hasNext() ? itA.next() : null;
                    rb = itB.hasNext() ? itB.next() : null;
                }
                progress.tick(keysA);
            }
        }
        return new long[] {keysA, keysB, onlyB, onlyBImps};
    }

    /**
     * A in batches, each looked up on B; returns the keys of A. Sequential on purpose: reading and looking up cost
     * about the same and are CPU-bound (Compact reads on client and member; a round trip per 1000 keys is noise
     * beside it): running the lookups on a background thread while A's next batches were read measured no gain
     * (100 k entries, 2 shared cores: 9.3 k keys/s pipelined vs 8.7-9.0 k sequential).
     */
    private static long lookupJoin(Reader a, Reader b, Acc acc, Progress progress, int batchSize) throws IOException {
        long[] keysA = {0};
        IOException[] failed = {null};
        a.scan(batchSize, batch -> {
            List<String> keys = new ArrayList<>(batch.size());
            batch.forEach(i -> keys.add(i.key));
            Map<String, Item> found;
            try {
                found = b.lookup(keys);
            } catch (IOException e) {
                failed[0] = e;
                return false;
            }
            for (Item x : batch) {
                Item y = found.get(x.key);
                if (y == null) {
                    acc.onlyA(x);
                } else {
                    acc.both(x, y);
                }
            }
            keysA[0] += batch.size();
            progress.tick(keysA[0]);
            return true;
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        return keysA[0];
    }

    private static Scan scan() {
        return new Scan().setCaching(1000).setCacheBlocks(false);
    }

    // ---- what is accumulated ----

    /** A key of one side: its snapshot entry (null when a stored row has no usable result) and volume. */
    private static final class Item {
        final String key;
        final SnapshotEntry entry;
        final StoredRow row;
        final long imps;
        final long revenue;

        private Item(String key, SnapshotEntry entry, StoredRow row, Counters volume) {
            this.key = key;
            this.entry = entry;
            this.row = row;
            this.imps = volume.imps();
            this.revenue = volume.revenueMicros();
        }

        static Item of(String key, SnapshotEntry e) {
            return new Item(key, e, null, e.total().plus(e.today()));
        }

        /** A stored row as the publish would load it; a row whose result is missing or not finite has no rank. */
        static Item of(StoredRow row) {
            SnapshotEntry e;
            try {
                e = SnapshotRows.entry(row);
            } catch (SnapshotValueException ex) {
                e = null;
            }
            Counters total = row.total() == null ? Counters.ZERO : row.total().counters();
            return new Item(row.key(), e, row, total.plus(row.open().sum()));
        }

        Double rank() {
            return entry == null ? null : entry.rank();
        }
    }

    private static final class Acc {
        final ParentKeys parents;
        final List<String> level;
        final RowJson json;
        final RankRatios ratios = new RankRatios();
        final Movers movers;
        final TopK<Point> sample;
        long both;
        long identical;
        long rankChanged;
        long onlyA;
        long onlyAImps;
        long bothImpsB;

        Acc(Options options, ParentKeys parents, List<String> level, KeyConfig key) {
            this.parents = parents;
            this.level = level;
            this.json = new RowJson(new ImpressionKey(key.separator()), key.dimensions());
            this.movers = new Movers(options.movers());
            this.sample = new TopK<>(options.samplePoints());
        }

        void onlyA(Item x) {
            onlyA++;
            onlyAImps += x.imps;
        }

        void both(Item x, Item y) {
            both++;
            bothImpsB += y.imps;
            if (identical(x, y)) {
                identical++;
            }
            Double rankA = x.rank();
            Double rankB = y.rank();
            RankRatios.Kind kind = ratios.add(rankA, rankB);
            if (rankA != null && rankB != null && !rankA.equals(rankB)) {
                rankChanged++;
            }
            String segment = level == null ? ALL : parents.of(x.key, level);
            movers.add(segment, x.key, rankA, rankB, x.imps, y.imps, x.revenue, y.revenue);
            if (kind == RankRatios.Kind.RATIO) {
                // the smallest hashes are a uniform sample that does not depend on the scan order
                long hash = Murmur3.hash64(x.key.getBytes(StandardCharsets.UTF_8), 0) >>> 11;
                sample.offer(-(double) hash, x.key, new Point(x.key, rankA, rankB));
            }
        }

        boolean identical(Item x, Item y) {
            if (x.row != null && y.row != null) {
                return json.toJson(x.row, false).equals(json.toJson(y.row, false));
            }
            return x.entry != null && y.entry != null && withoutTime(x.entry).equals(withoutTime(y.entry));
        }

        private static SnapshotEntry withoutTime(SnapshotEntry e) {
            return new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(), e.vpcHi(),
                    e.driftFlagged(), e.today(), e.total(), 0);
        }
    }

    /** Logs how far the scan of A is, at most every {@code every}, with a rate and (when A's size is known) an ETA. */
    private static final class Progress {
        final Clock clock;
        final Duration every;
        final String what;
        final Long total;
        final Instant start;
        Instant next;

        Progress(Clock clock, Duration every, String what, Long total) {
            this.clock = clock;
            this.every = every;
            this.what = what;
            this.total = total;
            this.start = clock.instant();
            this.next = start.plus(every);
        }

        void tick(long done) {
            Instant now = clock.instant();
            if (now.isBefore(next)) {
                return;
            }
            next = now.plus(every);
            double seconds = Math.max(Duration.between(start, now).toMillis(), 1) / 1000.0;
            double rate = done / seconds;
            String of = total == null ? "" : String.format(Locale.ROOT, " of %,d (%.0f %%), ETA %.0f s", total,
                    100.0 * done / Math.max(total, 1), rate > 0 ? Math.max(total - done, 0) / rate : 0.0);
            LOG.info(String.format(Locale.ROOT, "compare: %,d keys of %s read%s, %,.0f keys/s", done, what, of, rate));
        }
    }

    // ---- the sides ----

    /** Opens a side, failing with one line when it does not exist. */
    private static Reader open(RunContext ctx, Side side) throws IOException {
        if (side.isStored()) {
            RankSchema schema = new RankSchema(ctx.config().hbase().namespace(side.schema()));
            requireTable(ctx.hbase(), schema.ranks(), side.schema());
            return new StoredReader(ctx, side.schema(), schema);
        }
        SnapshotScan scan;
        try {
            scan = SnapshotScan.open(ctx.hazelcast(), side.schema(), side.version());
        } catch (VersionControlException e) {
            throw new RunFailedException(e.getMessage());
        }
        FallbackRule rule = scan.info().fallback();
        // a version published before the rule was recorded has the configured key layout
        KeyConfig key = rule == null ? ctx.config().key() : new KeyConfig(rule.keyDimensions(), rule.separator());
        return new SnapshotReader(scan, key);
    }

    private interface Reader {
        String describe();

        KeyConfig key();

        /** The keys of the side when known before reading it (for the ETA). */
        Long size();

        /** Every key in batches; the sink returns false to stop. */
        void scan(int batchSize, java.util.function.Predicate<List<Item>> sink) throws IOException;

        Map<String, Item> lookup(List<String> keys) throws IOException;

        long count() throws IOException;

        /** Impressions of every key, or null when not summed. */
        Long impressions();

        /** Fails if the side changed while it was read. */
        void finish();
    }

    private static final class SnapshotReader implements Reader {
        final SnapshotScan scan;
        final KeyConfig key;

        SnapshotReader(SnapshotScan scan, KeyConfig key) {
            this.scan = scan;
            this.key = key;
        }

        @Override
        public String describe() {
            return scan.describe();
        }

        @Override
        public KeyConfig key() {
            return key;
        }

        @Override
        public Long size() {
            return scan.size();
        }

        @Override
        public void scan(int batchSize, java.util.function.Predicate<List<Item>> sink) {
            Iterator<Map.Entry<String, SnapshotEntry>> it = scan.iterator(batchSize);
            List<Item> batch = new ArrayList<>(batchSize);
            while (it.hasNext()) {
                Map.Entry<String, SnapshotEntry> e = it.next();
                batch.add(Item.of(e.getKey(), e.getValue()));
                if (batch.size() == batchSize) {
                    if (!sink.test(batch)) {
                        return;
                    }
                    batch = new ArrayList<>(batchSize);
                }
            }
            if (!batch.isEmpty()) {
                sink.test(batch);
            }
        }

        @Override
        public Map<String, Item> lookup(List<String> keys) {
            Map<String, Item> out = new java.util.HashMap<>();
            scan.getAll(new java.util.HashSet<>(keys)).forEach((k, e) -> out.put(k, Item.of(k, e)));
            return out;
        }

        @Override
        public long count() {
            return scan.size();
        }

        @Override
        public Long impressions() {
            return scan.totals().impressions();
        }

        @Override
        public void finish() {
            try {
                scan.requireUnchanged();
            } catch (VersionControlException e) {
                throw new RunFailedException(e.getMessage());
            }
        }
    }

    private static final class StoredReader implements Reader {
        final RunContext ctx;
        final String name;
        final RankSchema schema;

        StoredReader(RunContext ctx, String name, RankSchema schema) {
            this.ctx = ctx;
            this.name = name;
            this.schema = schema;
        }

        @Override
        public String describe() {
            return "schema " + name + " (stored rows)";
        }

        @Override
        public KeyConfig key() {
            return ctx.config().key();
        }

        @Override
        public Long size() {
            return null;
        }

        @Override
        public void scan(int batchSize, java.util.function.Predicate<List<Item>> sink) throws IOException {
            try (Table table = ctx.hbase().getTable(schema.ranks());
                    ResultScanner scanner = table.getScanner(Compare.scan())) {
                List<Item> batch = new ArrayList<>(batchSize);
                for (Result r : scanner) {
                    batch.add(Item.of(StoredRow.decode(r)));
                    if (batch.size() == batchSize) {
                        if (!sink.test(batch)) {
                            return;
                        }
                        batch = new ArrayList<>(batchSize);
                    }
                }
                if (!batch.isEmpty()) {
                    sink.test(batch);
                }
            }
        }

        @Override
        public Map<String, Item> lookup(List<String> keys) throws IOException {
            Map<String, Item> out = new java.util.HashMap<>();
            new RankRowBatches(ctx.hbase(), schema).getAll(keys).forEach((k, row) -> out.put(k, Item.of(row)));
            return out;
        }

        @Override
        public long count() throws IOException {
            return new RankRowBatches(ctx.hbase(), schema).count();
        }

        @Override
        public Long impressions() {
            return null;
        }

        @Override
        public void finish() {
        }
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
