package adrank.loaders.hazelcast;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
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
 * @param fallbacks   the recorded {@link FallbackRule} of each live version that has one (a
 *                    version published before the rule was recorded has none)
 */
public record Routing(int active, int b, double share, Scope scope, long incarnation, long revision,
        Map<Integer, FallbackRule> fallbacks) {

    /** Before anything was published (or after the control entry was removed). */
    public static final Routing NONE = new Routing(0, 0, 0.0, Scope.ALL, 0, -1);

    public Routing {
        fallbacks = Map.copyOf(fallbacks);
    }

    /** A routing without recorded fallback rules. */
    public Routing(int active, int b, double share, Scope scope, long incarnation, long revision) {
        this(active, b, share, scope, incarnation, revision, Map.of());
    }

    public static Routing of(VersionControl control) {
        Map<Integer, FallbackRule> fallbacks = new HashMap<>();
        for (int version : new int[] {control.active(), control.bVersion()}) {
            control.version(version).map(VersionInfo::fallback).ifPresent(rule -> fallbacks.put(version, rule));
        }
        return new Routing(control.active(), control.bVersion(), control.bShare(), control.scope(),
                control.createdAt(), control.revision(), fallbacks);
    }

    /** The fallback rule recorded with {@code version}, or null (none recorded, or not a live version). */
    public FallbackRule fallback(int version) {
        return fallbacks.get(version);
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
