package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.result.KeyBasis;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.NoiseModel;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.hbase.Cell;
import org.apache.hadoop.hbase.CellUtil;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.Result;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Incremental results of an hourly run (README "Incremental results"): the rank and drift of the keys the hour
 * touched, computed where their new state is written ({@link HourCellWriter}) against the parents of the last full
 * result stage, the <em>basis</em> — each parent's CPM, impressions and τ², each noise segment's model, read from
 * the parents table at exactly the basis's write version. The same pure function as the full stage
 * ({@code KeyResults.compute} through {@link ResultWriter}), so a key's result is what the full stage would store if
 * its parents were the basis's.
 *
 * <p>A task keeps the parents it looked up (a key's ad-scoped parents serve its ad's other keys in the batch,
 * the segments of many ads every key), at most {@link #CACHED_PARENTS} of them.
 */
public final class BasisResults implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Parents one task keeps between batches; dropped all at once beyond (a task's keys are few ads). */
    static final int CACHED_PARENTS = 200_000;

    private final HBaseConfig hbase;
    private final String namespace;
    private final ParentKeys parentKeys;
    private final List<List<String>> segments;
    private final List<String> noiseSegment;
    private final long basisVersion;
    private final ResultWriter writer;
    private final CollectionAccumulator<String> faulty;
    private final LongAccumulator knownKeys;
    private final LongAccumulator lookedUpKeys;

    /**
     * @param basisVersion the write version of the full stage whose parents the keys are ranked against
     * @param period       the day of the hour (drift compares the key's counters of that day with its total)
     * @param faulty       receives {@code key \t reason \t detail} of every key with faulty counters
     * @param knownKeys    counts the keys ranked against the parent their stored result names
     * @param lookedUpKeys counts the keys whose parents were looked up (new since the basis, or faulty then)
     */
    public BasisResults(HBaseConfig hbase, String namespace, ParentKeys parentKeys, List<List<String>> segments,
            List<String> noiseSegment, RankSettings settings, LocalDate period, String runId, long writeVersion,
            long basisVersion, LongAccumulator keysWritten, LongAccumulator keysFaulty,
            CollectionAccumulator<String> faulty, LongAccumulator knownKeys, LongAccumulator lookedUpKeys) {
        this.knownKeys = knownKeys;
        this.lookedUpKeys = lookedUpKeys;
        this.hbase = hbase;
        this.namespace = namespace;
        this.parentKeys = parentKeys;
        this.segments = List.copyOf(segments);
        this.noiseSegment = noiseSegment == null ? null : List.copyOf(noiseSegment);
        this.basisVersion = basisVersion;
        this.writer = new ResultWriter(hbase, namespace, null, parentKeys, segments, noiseSegment, settings, period,
                null, runId, writeVersion, keysWritten, keysFaulty);
        this.faulty = faulty;
    }

    /** One task's lookups; close it with the task. */
    public Task open() throws IOException {
        return new Task();
    }

    /** A task's parents table and the parents it has looked up. */
    public final class Task implements AutoCloseable {

        private final BatchWriter parentsTable;
        private final Map<String, Optional<ParentModel>> parents = new HashMap<>();
        private final Map<String, Optional<NoiseModel>> noise = new HashMap<>();
        private final String computedAt = Instant.ofEpochMilli(writer.writeVersion()).toString();
        private long written;
        private long faultyKeys;
        private long known;
        private long lookedUp;

        private Task() throws IOException {
            this.parentsTable = BatchWriter.open(hbase, new RankSchema(namespace).parents());
        }

        /**
         * Computes and buffers the results of a batch of keys' new states (non-empty ones). A key whose stored result
         * was computed against the basis (its result cells written at or after the basis's version) is ranked against
         * the parent it names, with the τ² and noise model stored beside it ({@link KeyBasis}): no lookup. The
         * others (keys new since the basis, or faulty then) look their parents up, those the task has not seen in
         * one multi-get.
         *
         * @param stored each state's row as read with it (its {@code r:ranking} and {@code r:basis} cells)
         * @param rows   each state's row mutations the caller still holds: the result cells are added to them
         */
        void write(List<KeyState> states, List<Result> stored, List<ResultWriter.RowCells> rows) throws IOException {
            if (parents.size() + noise.size() > CACHED_PARENTS) {
                parents.clear();
                noise.clear();
            }
            List<String[]> failed = new ArrayList<>();
            List<KeyState> unknown = new ArrayList<>();
            List<ResultWriter.RowCells> unknownRows = new ArrayList<>();
            for (int i = 0; i < states.size(); i++) {
                KeyState state = states.get(i);
                Cell basisCell = stored.get(i).getColumnLatestCell(RankSchema.RESULT, RankSchema.BASIS);
                Cell rankingCell = stored.get(i).getColumnLatestCell(RankSchema.RESULT, RankSchema.RANKING.qualifier());
                if (basisCell == null || rankingCell == null || basisCell.getTimestamp() < basisVersion
                        || rankingCell.getTimestamp() < basisVersion) {
                    unknown.add(state);
                    unknownRows.add(rows.get(i));
                    continue;
                }
                Map<String, String> ranking = new HashMap<>();
                RankSchema.RANKING.unpack(CellUtil.cloneValue(rankingCell), ranking);
                KeyBasis basis = KeyBasis.decode(Bytes.toString(CellUtil.cloneValue(basisCell)));
                String parent = ranking.getOrDefault("parent", "");
                ParentModel chosen = parent.isEmpty() ? null
                        : ParentModel.chosen(parent, Double.parseDouble(ranking.get("parent_cpm")), basis.tau2());
                if (writer.writeAgainst(state, chosen, basis.noise(), computedAt, failed, rows.get(i))) {
                    written++;
                }
                known++;
            }
            writeLookingUp(unknown, unknownRows, failed);
            for (String[] f : failed) {
                faulty.add(f[0] + "\t" + f[1] + "\t" + f[2]);
                faultyKeys++;
            }
        }

        /** The keys without a result computed against the basis: their parents from the parents table. */
        private void writeLookingUp(List<KeyState> states, List<ResultWriter.RowCells> rows, List<String[]> failed)
                throws IOException {
            if (states.isEmpty()) {
                return;
            }
            List<List<String>> chains = new ArrayList<>(states.size());
            List<String> noiseKeys = new ArrayList<>(states.size());
            Set<String> missing = new LinkedHashSet<>();
            for (KeyState state : states) {
                List<String> components = parentKeys.components(state.key());
                List<String> chain = new ArrayList<>(segments.size());
                for (List<String> segment : segments) {
                    String parent = parentKeys.of(components, segment);
                    chain.add(parent);
                    if (!parents.containsKey(parent)) {
                        missing.add(parent);
                    }
                }
                chains.add(chain);
                String noiseKey = noiseSegment == null ? null : parentKeys.of(components, noiseSegment);
                noiseKeys.add(noiseKey);
                if (noiseKey != null && !noise.containsKey(noiseKey)) {
                    missing.add(noiseKey);
                }
            }
            lookUp(missing);
            for (int i = 0; i < states.size(); i++) {
                List<ParentModel> chain = new ArrayList<>(segments.size());
                for (String parent : chains.get(i)) {
                    chain.add(parents.get(parent).orElse(null));
                }
                NoiseModel model = noiseKeys.get(i) == null ? null : noise.get(noiseKeys.get(i)).orElse(null);
                if (writer.writeOne(states.get(i), chain, model, computedAt, failed, rows.get(i))) {
                    written++;
                }
                lookedUp++;
            }
        }

        /** Reads the given rows of the parents table, the cells the basis wrote only. */
        private void lookUp(Set<String> rows) throws IOException {
            if (rows.isEmpty()) {
                return;
            }
            List<Get> gets = new ArrayList<>(rows.size());
            for (String row : rows) {
                gets.add(new Get(Bytes.toBytes(row)).addColumn(RankSchema.PARENT, RankSchema.PARENT_FIELDS.qualifier())
                        .addColumn(RankSchema.PARENT, ParentTable.TAU2).addColumn(RankSchema.PARENT, ParentTable.NOISE)
                        .setTimeRange(basisVersion, basisVersion + 1));
            }
            Table table = parentsTable.table();
            Result[] found = BatchWriter.get(table, gets);
            int i = 0;
            for (String row : rows) {
                Result r = found[i++];
                parents.put(row, Optional.ofNullable(ParentTable.storedModel(row, r)));
                byte[] model = r.getValue(RankSchema.PARENT, ParentTable.NOISE);
                noise.put(row, model == null ? Optional.empty() : Optional.of(NoiseModel.decode(Bytes.toString(model))));
            }
        }

        @Override
        public void close() throws IOException {
            writer.count(written, faultyKeys);
            knownKeys.add(known);
            lookedUpKeys.add(lookedUp);
            parentsTable.close();
        }
    }
}
