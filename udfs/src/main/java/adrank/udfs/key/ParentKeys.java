package adrank.udfs.key;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys of the parents map {@code rank.<schema>.parents.v<N>}: the segment a key falls back to
 * when it is missing from the snapshot. Whoever computes parent averages must produce exactly
 * these keys (use this class).
 *
 * <p>Format, for a segment {@code S} (a subset of {@code key.dimensions}):
 * <ul>
 *   <li>{@code S = []} (the global average): {@code "*"};</li>
 *   <li>otherwise: the segment's dimension names in {@code key.dimensions} order, joined by
 *       {@code ','}, then {@code ':'}, then the key's components of those dimensions (same order)
 *       encoded with {@link ImpressionKey} and the key separator.</li>
 * </ul>
 * E.g. with {@code key.dimensions = [ad_id, geo, device, os, browser, connection]} and separator
 * {@code '|'}, the key {@code 42|MX|mobile|ios|safari|wifi} has parent keys
 * {@code ad_id,geo,device:42|MX|mobile}, {@code ad_id,geo:42|MX}, {@code geo,device:MX|mobile}
 * and {@code *}; the segment {@code [geo, ad_id]} is the same segment as {@code [ad_id, geo]}.
 * The name prefix keeps segments apart whose values look alike ({@code [geo]} = MX vs
 * {@code [os]} = MX); names never contain ':' so the prefix is unambiguous.
 */
public final class ParentKeys implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The parent key of the global segment {@code []}. */
    public static final String GLOBAL = "*";

    private final List<String> keyDimensions;
    private final ImpressionKey codec;
    /** Filled on first use in each JVM (not serialized with the closures that carry this object). */
    private transient volatile Map<List<String>, Prepared> preparedSegments;

    public ParentKeys(List<String> keyDimensions, char separator) {
        this.keyDimensions = List.copyOf(keyDimensions);
        this.codec = new ImpressionKey(separator);
    }

    /** The segment's dimensions in key order; fails on a name that is not a key dimension. */
    public List<String> canonical(List<String> segment) {
        for (String dimension : segment) {
            if (!keyDimensions.contains(dimension)) {
                throw new IllegalArgumentException("parent segment " + segment + " names '" + dimension
                        + "', which is not one of the key dimensions " + keyDimensions);
            }
        }
        List<String> ordered = new ArrayList<>(segment.size());
        for (String dimension : keyDimensions) {
            if (segment.contains(dimension)) {
                ordered.add(dimension);
            }
        }
        return ordered;
    }

    /** The parent key of an encoded impression key in {@code segment}. */
    public String of(String encodedKey, List<String> segment) {
        return of(components(encodedKey), segment);
    }

    /**
     * The parent key of a key given as its components (in {@code key.dimensions} order), e.g.
     * straight from the columns of a Spark row.
     */
    public String of(List<String> components, List<String> segment) {
        if (components.size() != keyDimensions.size()) {
            throw new IllegalArgumentException("a key has " + keyDimensions.size() + " components "
                    + keyDimensions + ", got " + components.size() + ": " + components);
        }
        Prepared prepared = prepared(segment);
        if (prepared.indexes.length == 0) {
            return GLOBAL;
        }
        List<String> values = new ArrayList<>(prepared.indexes.length);
        for (int index : prepared.indexes) {
            values.add(components.get(index));
        }
        return prepared.prefix + codec.encode(values);
    }

    /** A segment's canonical name and component positions, worked out once per segment (hot path). */
    private Prepared prepared(List<String> segment) {
        Map<List<String>, Prepared> cache = preparedSegments;
        if (cache == null) {
            cache = new ConcurrentHashMap<>();
            preparedSegments = cache;
        }
        return cache.computeIfAbsent(segment, s -> {
            List<String> ordered = canonical(s);
            int[] indexes = new int[ordered.size()];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = keyDimensions.indexOf(ordered.get(i));
            }
            return new Prepared(String.join(",", ordered) + ":", indexes);
        });
    }

    private record Prepared(String prefix, int[] indexes) {
    }

    /** Decodes an encoded impression key, checking it has one component per key dimension. */
    public List<String> components(String encodedKey) {
        List<String> components = codec.decode(encodedKey);
        if (components.size() != keyDimensions.size()) {
            throw new IllegalArgumentException("key '" + encodedKey + "' has " + components.size()
                    + " components, key.dimensions has " + keyDimensions.size() + " " + keyDimensions);
        }
        return components;
    }
}
