package adrank.loaders.hazelcast;

import adrank.udfs.experiment.Variant;
import adrank.udfs.key.ParentKeys;
import java.util.List;

/**
 * The answer to one {@link RankReader#lookup}: what was found and where it came from, so the ad
 * server can log or meter which version (A or B) and which level (the key or a parent segment)
 * answered, and whether the cluster was reachable.
 *
 * @param key        the encoded impression key asked for
 * @param version    the snapshot version that answered (0: nothing published)
 * @param b          whether that version is the B side of an A/B split
 * @param entry      the entry found (for the key or a parent segment), or null
 * @param segment    the parent segment that answered (dimension names; [] is the global
 *                   average), or null when the key itself answered or nothing was found
 * @param answeredBy the map key that answered (the key, or a {@link ParentKeys parent key}), or null
 * @param source     where the answer came from
 * @param schema     the schema whose snapshot answered (B of an experiment may be another schema's), or
 *                   null when nothing was published
 * @param variant    what the ad server logs in the raw events' {@code variant} column: the experiment,
 *                   arm, schema and version that answered; null outside an experiment or its scope
 */
public record Lookup(String key, int version, boolean b, SnapshotEntry entry, List<String> segment, String answeredBy,
        Source source, String schema, Variant variant) {

    /** An answer outside any experiment. */
    public Lookup(String key, int version, boolean b, SnapshotEntry entry, List<String> segment, String answeredBy,
            Source source) {
        this(key, version, b, entry, segment, answeredBy, source, null, null);
    }

    /** {@link #variant()} as logged: {@code experiment:arm:schema:vN}, or "" outside an experiment. */
    public String variantText() {
        return variant == null ? "" : variant.text();
    }

    /** Where an answer came from. */
    public enum Source {
        /** Read from the cluster just now. */
        MEMBER,
        /** The local cache, within {@code reader.cache-ttl}. */
        CACHE,
        /** The local cache past its ttl, because the cluster did not answer in time. */
        STALE_CACHE,
        /** The cluster did not answer and nothing was cached: no entry. */
        UNAVAILABLE,
        /** No version of the schema was ever published: no entry. */
        NO_VERSION
    }

    public boolean found() {
        return entry != null;
    }

    public boolean fromCache() {
        return source == Source.CACHE || source == Source.STALE_CACHE;
    }

    public boolean fromParent() {
        return segment != null;
    }
}
