package adrank.loaders.hbase;

import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.util.Bytes;

/**
 * The HBase layout of one schema (namespace {@code <prefix>_<schema>}).
 *
 * <p>{@code ranks}: row = encoded impression key (UTF-8).
 * <ul>
 *   <li>family {@code h} — one cell per applied hour, qualifier {@code yyyyMMddHH}, value
 *       {@code "imps clicks convs rev val"}; one version; TTL = {@code hbase.hour-cell-ttl-days}
 *       counted from the write (cells carry the run's write version, which stays close to HBase's time).</li>
 *   <li>family {@code s} — state: {@code today} ({@code "yyyyMMdd hours imps clicks convs rev val"}),
 *       the by-day lists {@code days imps clicks convs rev val} (space-delimited, newest first) and
 *       {@code total} ({@code "days oldestDay imps clicks convs rev val"}).</li>
 *   <li>family {@code r} — results of the rank math, as {@link PackedCell}s: {@code ranking}
 *       ({@link #RANKING}: cpm … run_id, rewritten by every run) and {@code vpc} ({@link #VPC}:
 *       the VPC and its posterior, rewritten by {@code daily}); {@code error} says why a key whose
 *       counters are faulty has no result.</li>
 * </ul>
 * {@code ledger}: one row per run attempt, family {@code l}; see {@link Ledger}.
 * {@code parents}: one row per parent segment key ({@link adrank.udfs.key.ParentKeys} format),
 * family {@code p}, one {@link PackedCell} {@code parent} ({@link #PARENT_FIELDS}): the segment's
 * counters, CPM and priors; see {@link ParentTable}.
 */
public final class RankSchema {

    public static final byte[] HOURS = Bytes.toBytes("h");
    public static final byte[] STATE = Bytes.toBytes("s");
    public static final byte[] RESULT = Bytes.toBytes("r");
    public static final byte[] LEDGER = Bytes.toBytes("l");
    public static final byte[] PARENT = Bytes.toBytes("p");

    public static final byte[] TODAY = Bytes.toBytes("today");
    public static final byte[] TOTAL = Bytes.toBytes("total");
    /** The by-day lists, in the order {@link adrank.udfs.stats.ByDay#encode()} returns them. */
    public static final byte[][] BY_DAY = {Bytes.toBytes("days"), Bytes.toBytes("imps"), Bytes.toBytes("clicks"),
        Bytes.toBytes("convs"), Bytes.toBytes("rev"), Bytes.toBytes("val")};

    /** The rank part of a result (every run rewrites it). */
    public static final PackedCell RANKING = PackedCell.of("ranking", java.util.List.of("cpm", "weight", "parent",
            "parent_cpm", "rank", "drift", "drift_flag", "computed_at", "run_id"));
    /** The VPC part of a result (each daily fold rewrites it; hourly runs keep the last one). */
    public static final PackedCell VPC = PackedCell.of("vpc", java.util.List.of("vpc_parent", "vpc_mean", "vpc_lo",
            "vpc_hi", "cvr_shape", "cvr_rate", "value_shape", "value_rate"));
    /**
     * Qualifier (family {@link #RESULT}) of what a key's result was computed against besides its parent's key and
     * CPM ({@code KeyBasis}: the parent's τ², the key's noise model); not a result column (show/export leave it
     * out), read by incremental hours.
     */
    public static final byte[] BASIS = Bytes.toBytes("basis");
    /** A parent segment's row of the parents table. */
    public static final PackedCell PARENT_FIELDS = PackedCell.of("parent", java.util.List.of("keys", "counters",
            "cpm", "rate_keys", "cvr_shape", "cvr_rate", "prior_guard", "value_shape", "value_rate"));

    private final String namespace;

    public RankSchema(String namespace) {
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    public TableName ranks() {
        return TableName.valueOf(namespace, "ranks");
    }

    public TableName parents() {
        return TableName.valueOf(namespace, "parents");
    }

    public TableName ledger() {
        return TableName.valueOf(namespace, "ledger");
    }
}
