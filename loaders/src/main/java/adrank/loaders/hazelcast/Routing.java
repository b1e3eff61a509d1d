package adrank.loaders.hazelcast;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which version a request reads, as a reader last saw it in the control record. Pure and
 * immutable: a lookup takes one {@code Routing} and reads only that version's maps, so a switch
 * in the middle of a lookup can never mix versions.
 *
 * @param active   the active version (0: nothing published yet)
 * @param b        the B version (0: no split)
 * @param share    share of traffic units on B within the scope
 * @param scope    where the split applies
 * @param incarnation when the control record was created ({@link VersionControl#createdAt})
 * @param revision    the control record's revision
 */
public record Routing(int active, int b, double share, Scope scope, long incarnation, long revision) {

    /** Before anything was published (or after the control entry was removed). */
    public static final Routing NONE = new Routing(0, 0, 0.0, Scope.ALL, 0, -1);

    public static Routing of(VersionControl control) {
        return new Routing(control.active(), control.bVersion(), control.bShare(), control.scope(),
                control.createdAt(), control.revision());
    }

    /**
     * Whether {@code next} should replace this routing: a newer revision of the same record, or
     * a re-created record (its numbers start over, so its revision says nothing).
     */
    public boolean supersededBy(Routing next) {
        return next.incarnation != incarnation || next.revision > revision;
    }

    /**
     * The version for a request: B when there is a split, the unit's bucket is below the share
     * and the key is within the scope ({@code keyInScope} is only asked then, so keys are
     * decoded only for requests that may go to B); otherwise the active version.
     */
    public int version(String trafficUnitId, BooleanSupplier keyInScope) {
        if (b == 0 || !TrafficSplit.inB(trafficUnitId, b, share)) {
            return active;
        }
        return scope.isAll() || keyInScope.getAsBoolean() ? b : active;
    }

    /** Versions a reader may read under this routing. */
    public Set<Integer> live() {
        Set<Integer> live = new HashSet<>();
        if (active != 0) {
            live.add(active);
        }
        if (b != 0) {
            live.add(b);
        }
        return live;
    }
}
