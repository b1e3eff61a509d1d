package adrank.udfs.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code k} items of largest score seen so far, in O(k) memory whatever the number offered:
 * a min-heap whose root is evicted by anything larger. Ties go to the smaller {@code id}, so the
 * selection does not depend on the order items arrive in (a scan of a Hazelcast map has no
 * fixed order).
 *
 * @param <T> what is kept beside the score and the id
 */
public final class TopK<T> {

    /** One kept item. */
    public record Scored<T>(double score, String id, T item) {
    }

    /** Larger score first; on a tie the smaller id first. */
    private static final Comparator<Scored<?>> BEST_FIRST = Comparator.<Scored<?>>comparingDouble(Scored::score)
            .reversed().thenComparing(Scored::id);

    private final int k;
    /** Worst of the kept at the root. */
    private final PriorityQueue<Scored<T>> heap;

    /**
     * @throws IllegalArgumentException if {@code k < 0}
     */
    public TopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must be >= 0, got " + k);
        }
        this.k = k;
        this.heap = new PriorityQueue<>(Math.max(1, k), BEST_FIRST.reversed());
    }

    /**
     * Offers one item.
     *
     * @return whether it is kept (for now)
     * @throws IllegalArgumentException if the score is NaN or the id null
     */
    public boolean offer(double score, String id, T item) {
        if (Double.isNaN(score) || id == null) {
            throw new IllegalArgumentException("a score must be a number and an id non-null: " + score + ", " + id);
        }
        if (k == 0) {
            return false;
        }
        Scored<T> s = new Scored<>(score, id, item);
        if (heap.size() < k) {
            heap.add(s);
            return true;
        }
        if (BEST_FIRST.compare(s, heap.peek()) < 0) {
            heap.poll();
            heap.add(s);
            return true;
        }
        return false;
    }

    /** How many are kept (at most k). */
    public int size() {
        return heap.size();
    }

    /** The kept items, best first. */
    public List<Scored<T>> best() {
        List<Scored<T>> out = new ArrayList<>(heap);
        out.sort(BEST_FIRST);
        return out;
    }
}
