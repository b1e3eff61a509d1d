package adrank.udfs.result;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Splits one partition of keys, in key order, into runs of one group each (one ad: the keys whose
 * first key component is the same), one run at a time. A partition of an HBase scan is a contiguous
 * key range, and the keys of one ad are contiguous in key order (they share the prefix
 * {@code <ad>|}, and the separator never occurs unescaped inside a component), so an ad that is
 * neither the first nor the last run of its partition has all its keys in that run: its
 * ad-scoped parents can be summed right there. The first and the last run may continue in the
 * neighbouring partition (a region or scan split may cut an ad), so they are flagged
 * {@link Run#boundary() boundary}; their sums must be merged across partitions.
 *
 * <p>Holds one run (and the key after it) at a time. The partition must be in strictly increasing
 * key order (code point order, which is the byte order of UTF-8 and so HBase's row order); a key
 * out of order fails with {@link IllegalStateException}, since a run could then be incomplete.
 *
 * @param <T> the elements (e.g. a key's state with its decoded components)
 */
public final class KeyRuns<T> implements Iterator<KeyRuns.Run<T>> {

    /**
     * One group's consecutive keys.
     *
     * @param group    the group (the first key component)
     * @param items    the keys, in key order
     * @param boundary whether it is the first or the last run of its partition (it may continue in the
     *                 neighbouring one)
     */
    public record Run<T>(String group, List<T> items, boolean boundary) {
    }

    private final Iterator<T> source;
    private final Function<T, String> key;
    private final Function<T, String> group;
    private T pending;
    private String pendingKey;
    private boolean first = true;

    private KeyRuns(Iterator<T> source, Function<T, String> key, Function<T, String> group) {
        this.source = source;
        this.key = key;
        this.group = group;
    }

    /**
     * The runs of a partition.
     *
     * @param sorted the partition, in strictly increasing key order
     * @param key    an element's encoded key
     * @param group  an element's group (its first key component)
     */
    public static <T> KeyRuns<T> of(Iterator<T> sorted, Function<T, String> key, Function<T, String> group) {
        return new KeyRuns<>(sorted, key, group);
    }

    @Override
    public boolean hasNext() {
        return pending != null || source.hasNext();
    }

    @Override
    public Run<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (pending == null) {
            advance();
        }
        List<T> items = new ArrayList<>();
        String runGroup = group.apply(pending);
        do {
            items.add(pending);
            pending = null;
            if (source.hasNext()) {
                advance();
            }
        } while (pending != null && runGroup.equals(group.apply(pending)));
        boolean boundary = first || pending == null;
        first = false;
        return new Run<>(runGroup, items, boundary);
    }

    private void advance() {
        T item = source.next();
        String itemKey = key.apply(item);
        if (pendingKey != null && compareCodePoints(pendingKey, itemKey) >= 0) {
            throw new IllegalStateException("keys out of order within a partition: '" + itemKey + "' after '"
                    + pendingKey + "'; aggregating parents by ad needs each partition in key order "
                    + "(rank.parents-join = broadcast does not)");
        }
        pending = item;
        pendingKey = itemKey;
    }

    /** Compares strings by code point, i.e. as their UTF-8 bytes compare (HBase's row order). */
    public static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
