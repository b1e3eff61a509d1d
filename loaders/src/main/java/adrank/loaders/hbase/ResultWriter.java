package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.result.AdModels;
import adrank.udfs.result.AdParents;
import adrank.udfs.result.KeyBasis;
import adrank.udfs.result.KeyResult;
import adrank.udfs.result.KeyRuns;
import adrank.udfs.result.ParentLayout;
import adrank.udfs.result.KeyResults;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.NoiseModel;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Delete;
import org.apache.hadoop.hbase.client.Put;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.LongAccumulator;

/**
 * Executor side of the result stage: computes every key's result row with
 * {@link KeyResults#compute} and writes it to the result family ({@link RankSchema#RANKING}, and
 * {@link RankSchema#VPC} after a daily fold). A key whose counters are faulty (only what no
 * world produces: revenue or value without an event to carry it; lagged conversions above
 * clicks are data)
 * (the pure functions throw {@link InvalidInputException}) gets no result: its old result
 * cells are removed, {@code r:error} says why, and the key is returned as a
 * {@code (key, reason, detail)} row for the quarantine.
 *
 * <p>Where a key's parents come from: the broadcast of every parent ({@code rank.parents-join = broadcast}), or
 * ({@link #byAd}) its run of one ad's keys for the ad's own segments and the broadcast of the shared ones.
 */
public final class ResultWriter implements FlatMapFunction<Iterator<KeyState>, Row> {

    private static final long serialVersionUID = 1L;

    /** The qualifier holding why a key has no result. */
    public static final byte[] ERROR = Bytes.toBytes("error");

    private final HBaseConfig hbase;
    private final String namespace;
    private final Broadcast<ParentModels> parents;
    private final ParentKeys parentKeys;
    private final List<List<String>> segments;
    private final List<String> noiseSegment;
    /** The parents' layout on the by-ad path; null when every parent comes from the broadcast. */
    private final ParentLayout layout;
    private final RankSettings settings;
    private final LocalDate period;
    private final LocalDate vpcAsOf;
    private final String runId;
    private final long writeVersion;
    private final LongAccumulator keysWritten;
    private final LongAccumulator keysFaulty;

    public ResultWriter(HBaseConfig hbase, String namespace, Broadcast<ParentModels> parents,
            ParentKeys parentKeys, List<List<String>> segments, List<String> noiseSegment, RankSettings settings,
            LocalDate period,
            LocalDate vpcAsOf, String runId,
            long writeVersion, LongAccumulator keysWritten, LongAccumulator keysFaulty) {
        this(hbase, namespace, parents, parentKeys, segments, noiseSegment, null, settings, period, vpcAsOf, runId,
                writeVersion, keysWritten, keysFaulty);
    }

    private ResultWriter(HBaseConfig hbase, String namespace, Broadcast<ParentModels> parents, ParentKeys parentKeys,
            List<List<String>> segments, List<String> noiseSegment, ParentLayout layout, RankSettings settings,
            LocalDate period, LocalDate vpcAsOf, String runId, long writeVersion, LongAccumulator keysWritten,
            LongAccumulator keysFaulty) {
        this.hbase = hbase;
        this.layout = layout;
        this.namespace = namespace;
        this.parents = parents;
        this.parentKeys = parentKeys;
        this.segments = segments;
        this.noiseSegment = noiseSegment == null ? null : List.copyOf(noiseSegment);
        this.settings = settings;
        this.period = period;
        this.vpcAsOf = vpcAsOf;
        this.runId = runId;
        this.writeVersion = writeVersion;
        this.keysWritten = keysWritten;
        this.keysFaulty = keysFaulty;
    }

    /**
     * The writer of the by-ad path: each run of one ad's keys ({@link KeyRuns}) derives the parents it
     * completes itself, with their τ² ({@link AdModels}), and looks the others up in {@code shared}
     * (segments of many ads, and the ads cut by a partition boundary, with their noise and τ²).
     */
    public static ResultWriter byAd(HBaseConfig hbase, String namespace, Broadcast<ParentModels> shared,
            ParentLayout layout, RankSettings settings, LocalDate period, LocalDate vpcAsOf, String runId,
            long writeVersion, LongAccumulator keysWritten, LongAccumulator keysFaulty) {
        return new ResultWriter(hbase, namespace, shared, null, layout.segments(), null, layout, settings, period,
                vpcAsOf, runId, writeVersion, keysWritten, keysFaulty);
    }

    @Override
    public Iterator<Row> call(Iterator<KeyState> states) throws IOException {
        List<String[]> failed = new ArrayList<>();
        if (!states.hasNext()) {
            return List.<Row>of().iterator();
        }
        ParentModels models = parents.value();
        Map<String, ParentModel> parentModels = models.models();
        RankSchema schema = new RankSchema(namespace);
        String computedAt = Instant.ofEpochMilli(writeVersion).toString();
        long written = 0;
        try (BatchWriter mutator = BatchWriter.open(hbase, schema.ranks());
                BasisCells basis = new BasisCells(BatchWriter.open(hbase, schema.parents()))) {
            if (layout != null) {
                KeyRuns<AdParents.Keyed> runs = AdParents.runs(states, layout);
                while (runs.hasNext()) {
                    KeyRuns.Run<AdParents.Keyed> run = runs.next();
                    AdModels ad = AdModels.of(run, layout, settings, parentModels, models::noise);
                    if (layout.hasNoise()) {
                        ad = ad.withBetweenKeyVariance(ad.terms(run, settings, new HashMap<>()), models.levelSpread());
                    }
                    for (AdParents.Keyed key : run.items()) {
                        List<ParentModel> chain = ad.chain(key);
                        NoiseModel noise = ad.noise(key);
                        basis.record(chain, key.noiseKey(), noise);
                        if (writeOne(mutator, key.state(), chain, noise, computedAt, failed)) {
                            written++;
                        }
                    }
                }
            } else {
                while (states.hasNext()) {
                    KeyState state = states.next();
                    if (state.isEmpty()) {
                        continue; // no data, no result (the fold that emptied it removed its result cells)
                    }
                    List<String> components = parentKeys.components(state.key());
                    List<ParentModel> chain = new ArrayList<>(segments.size());
                    for (List<String> segment : segments) {
                        chain.add(parentModels.get(parentKeys.of(components, segment)));
                    }
                    String noiseKey = noiseSegment == null ? null : parentKeys.of(components, noiseSegment);
                    NoiseModel noise = noiseKey == null ? null : models.noise(noiseKey);
                    basis.record(chain, noiseKey, noise);
                    if (writeOne(mutator, state, chain, noise, computedAt, failed)) {
                        written++;
                    }
                }
            }
            mutator.flush();
        }
        count(written, failed.size());
        List<Row> faulty = new ArrayList<>(failed.size());
        for (String[] f : failed) {
            faulty.add(RowFactory.create(f[0], f[1], f[2]));
        }
        return faulty.iterator();
    }

    /**
     * What the incremental results of later hourly runs rank against ({@link BasisResults}): every parent's τ² and
     * every noise segment's model as this stage used them, in the parents table at the stage's write version (the
     * parents' own cells carry it too). Each once per task; shared parents go out from every task that uses them,
     * with the same value.
     */
    private final class BasisCells implements AutoCloseable {
        private final BatchWriter parentsTable;
        private final java.util.Set<String> recorded = new java.util.HashSet<>();
        private final java.util.Set<String> recordedNoise = new java.util.HashSet<>();

        BasisCells(BatchWriter parentsTable) {
            this.parentsTable = parentsTable;
        }

        void record(List<ParentModel> chain, String noiseKey, NoiseModel noise) throws IOException {
            for (ParentModel parent : chain) {
                if (parent != null && parent.betweenKeyVariance() != null && recorded.add(parent.parentKey())) {
                    parentsTable.mutate(ParentTable.tau2Put(parent.parentKey(), parent.betweenKeyVariance(),
                            writeVersion));
                }
            }
            if (noiseKey != null && noise != null && recordedNoise.add(noiseKey)) {
                parentsTable.mutate(ParentTable.noisePut(noiseKey, noise, writeVersion));
            }
        }

        @Override
        public void close() throws IOException {
            parentsTable.flush();
            parentsTable.close();
        }
    }

    /**
     * Computes and writes (buffers in {@code mutator}) one key's result; false when its counters are faulty: then
     * its result cells are removed, {@code r:error} says why, and {@code (key, reason, detail)} goes to {@code failed}.
     */
    boolean writeOne(BatchWriter mutator, KeyState state, List<ParentModel> chain, NoiseModel noise,
            String computedAt, List<String[]> failed) throws IOException {
        RowCells cells = RowCells.of(Bytes.toBytes(state.key()), writeVersion);
        boolean written = writeOne(state, chain, noise, computedAt, failed, cells);
        cells.mutate(mutator);
        return written;
    }

    /**
     * A key's row mutations that a caller still holds (an hour's cells and state, {@link HourCellWriter}): the
     * result cells are added to them, so a key costs one put (and at most one delete), not two of each.
     */
    record RowCells(Put put, Delete delete) {

        static RowCells of(byte[] row, long version) {
            return new RowCells(new Put(row, version), new Delete(row));
        }

        /** Buffers the put and the delete, each only if it holds a cell. */
        void mutate(BatchWriter mutator) throws IOException {
            if (!put.isEmpty()) {
                mutator.mutate(put);
            }
            if (!delete.isEmpty()) {
                mutator.mutate(delete);
            }
        }
    }

    /** As {@link #writeOne}, adding the cells to {@code into} (the caller mutates it). */
    boolean writeOne(KeyState state, List<ParentModel> chain, NoiseModel noise, String computedAt,
            List<String[]> failed, RowCells into) {
        KeyResult result;
        ParentModel rankParent;
        try {
            result = KeyResults.compute(state, chain, settings, period, vpcAsOf, noise);
            rankParent = KeyResults.rankParent(chain, settings);
        } catch (InvalidInputException e) {
            fail(state, e, failed, into);
            return false;
        }
        store(state, result, rankParent, noise, computedAt, into);
        return true;
    }

    /**
     * As {@link #writeOne}, against a rank parent already chosen ({@link KeyResults#computeAgainst}: rank and drift
     * only, for incremental hours).
     */
    boolean writeAgainst(KeyState state, ParentModel rankParent, NoiseModel noise, String computedAt,
            List<String[]> failed, RowCells into) {
        KeyResult result;
        try {
            result = KeyResults.computeAgainst(state, rankParent, settings, period, noise);
        } catch (InvalidInputException e) {
            fail(state, e, failed, into);
            return false;
        }
        store(state, result, rankParent, noise, computedAt, into);
        return true;
    }

    /** Adds a key's result cells to its row, with what it was computed against ({@link KeyBasis}). */
    private void store(KeyState state, KeyResult result, ParentModel rankParent, NoiseModel noise,
            String computedAt, RowCells into) {
        Map<String, String> ranking = result.rankColumns();
        ranking.put("computed_at", computedAt);
        ranking.put("run_id", runId);
        into.put().addColumn(RankSchema.RESULT, RankSchema.RANKING.qualifier(), RankSchema.RANKING.pack(ranking));
        into.put().addColumn(RankSchema.RESULT, RankSchema.BASIS, Bytes.toBytes(new KeyBasis(
                rankParent == null ? null : rankParent.betweenKeyVariance(), noise).encode()));
        Map<String, String> vpc = result.vpcColumns();
        if (!vpc.isEmpty()) {
            into.put().addColumn(RankSchema.RESULT, RankSchema.VPC.qualifier(), RankSchema.VPC.pack(vpc));
        }
        if (state.hasError()) {
            into.delete().addColumns(RankSchema.RESULT, ERROR, writeVersion);
        }
    }

    /** The write version of the results. */
    long writeVersion() {
        return writeVersion;
    }

    /** Adds a task's counts to the accumulators. */
    void count(long written, long faulty) {
        keysWritten.add(written);
        keysFaulty.add(faulty);
    }

    /** Removes a faulty key's result cells from its row, stores why, and lists it for the quarantine. */
    private void fail(KeyState state, InvalidInputException e, List<String[]> failed, RowCells into) {
        into.delete().addColumns(RankSchema.RESULT, RankSchema.RANKING.qualifier(), writeVersion)
                .addColumns(RankSchema.RESULT, RankSchema.VPC.qualifier(), writeVersion)
                .addColumns(RankSchema.RESULT, RankSchema.BASIS, writeVersion);
        into.put().addColumn(RankSchema.RESULT, ERROR, Bytes.toBytes(e.getMessage()));
        failed.add(new String[] {state.key(), reason(e), e.getMessage()});
    }

    /** Keys written (read on the driver after the job). */
    public long keysWritten() {
        return keysWritten.value();
    }

    /** Faulty keys quarantined (read on the driver after the job). */
    public long keysFaulty() {
        return keysFaulty.value();
    }

    private static String reason(InvalidInputException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.contains(" without ") ? "money_without_event" : "invalid_counters";
    }
}
