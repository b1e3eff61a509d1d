package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import adrank.loaders.spark.ParentModels;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.rank.InvalidInputException;
import adrank.udfs.result.KeyResult;
import adrank.udfs.result.KeyResults;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.NoiseModel;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
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
        this.hbase = hbase;
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

    @Override
    public Iterator<Row> call(Iterator<KeyState> states) throws IOException {
        List<Row> faulty = new ArrayList<>();
        if (!states.hasNext()) {
            return faulty.iterator();
        }
        ParentModels models = parents.value();
        Map<String, ParentModel> parentModels = models.models();
        RankSchema schema = new RankSchema(namespace);
        String computedAt = Instant.ofEpochMilli(writeVersion).toString();
        long written = 0;
        try (BatchWriter mutator = BatchWriter.open(hbase, schema.ranks())) {
            while (states.hasNext()) {
                KeyState state = states.next();
                if (state.isEmpty()) {
                    continue; // no data, no result (the fold that emptied it removed its result cells)
                }
                byte[] row = Bytes.toBytes(state.key());
                KeyResult result;
                try {
                    List<String> components = parentKeys.components(state.key());
                    List<ParentModel> chain = new ArrayList<>(segments.size());
                    for (List<String> segment : segments) {
                        chain.add(parentModels.get(parentKeys.of(components, segment)));
                    }
                    NoiseModel noise = noiseSegment == null ? null
                            : models.noise(parentKeys.of(components, noiseSegment));
                    result = KeyResults.compute(state, chain, settings, period, vpcAsOf, noise);
                } catch (InvalidInputException e) {
                    mutator.mutate(new Delete(row).addColumns(RankSchema.RESULT, RankSchema.RANKING.qualifier(), writeVersion)
                            .addColumns(RankSchema.RESULT, RankSchema.VPC.qualifier(), writeVersion));
                    mutator.mutate(new Put(row, writeVersion).addColumn(RankSchema.RESULT, ERROR,
                            Bytes.toBytes(e.getMessage())));
                    faulty.add(RowFactory.create(state.key(), reason(e), e.getMessage()));
                    continue;
                }
                Map<String, String> ranking = result.rankColumns();
                ranking.put("computed_at", computedAt);
                ranking.put("run_id", runId);
                Put put = new Put(row, writeVersion).addColumn(RankSchema.RESULT, RankSchema.RANKING.qualifier(),
                        RankSchema.RANKING.pack(ranking));
                Map<String, String> vpc = result.vpcColumns();
                if (!vpc.isEmpty()) {
                    put.addColumn(RankSchema.RESULT, RankSchema.VPC.qualifier(), RankSchema.VPC.pack(vpc));
                }
                mutator.mutate(put);
                if (state.hasError()) {
                    mutator.mutate(new Delete(row).addColumns(RankSchema.RESULT, ERROR, writeVersion));
                }
                written++;
            }
            mutator.flush();
        }
        keysWritten.add(written);
        keysFaulty.add(faulty.size());
        return faulty.iterator();
    }

    private static String reason(InvalidInputException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return message.contains(" without ") ? "money_without_event" : "invalid_counters";
    }
}
