package adrank.jobs.pipeline;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * An iterator that maps another one lazily and drops what maps to null, so a partition streams
 * into a loader instead of being held in memory first.
 */
final class MappedIterator<A, B> implements Iterator<B> {

    private final Iterator<A> source;
    private final Function<A, B> mapping;
    private B next;

    MappedIterator(Iterator<A> source, Function<A, B> mapping) {
        this.source = source;
        this.mapping = mapping;
    }

    @Override
    public boolean hasNext() {
        while (next == null && source.hasNext()) {
            next = mapping.apply(source.next());
        }
        return next != null;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        B out = next;
        next = null;
        return out;
    }
}
