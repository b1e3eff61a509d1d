package adrank.loaders.hazelcast;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * One transition of a schema's control record, run by the member that owns the key, so that it
 * is atomic. Carries the client's clock ({@code now}) so that the backup replica, which runs the
 * same processor, ends with an identical record. A refused transition leaves the entry untouched
 * and reports the reason in {@link ControlResult#error()}.
 */
final class ControlUpdate implements EntryProcessor<String, VersionControl, ControlResult> {

    private static final long serialVersionUID = 1L;

    enum Op { BEGIN, FAIL, COMMIT, ACTIVATE, ROLLBACK, AB, AB_CLEAR }

    final Op op;
    final int version;
    final double share;
    final String scope;
    final LoadResult entries;
    final LoadResult parents;
    final int retain;
    final String reason;
    final long now;
    /** The rule a BEGIN records with the new version (null otherwise). */
    final FallbackRule fallback;

    ControlUpdate(Op op, int version, double share, String scope, LoadResult entries, LoadResult parents, int retain,
            String reason, long now, FallbackRule fallback) {
        this.op = op;
        this.version = version;
        this.share = share;
        this.scope = scope;
        this.entries = entries;
        this.parents = parents;
        this.retain = retain;
        this.reason = reason;
        this.now = now;
        this.fallback = fallback;
    }

    private static ControlUpdate of(Op op, int version, long now) {
        return new ControlUpdate(op, version, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, "", now, null);
    }

    static ControlUpdate begin(long now, FallbackRule fallback) {
        return new ControlUpdate(Op.BEGIN, 0, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, "", now, fallback);
    }

    static ControlUpdate fail(int version, String reason, long now) {
        return new ControlUpdate(Op.FAIL, version, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, reason, now, null);
    }

    static ControlUpdate commit(int version, LoadResult entries, LoadResult parents, int retain, long now) {
        return new ControlUpdate(Op.COMMIT, version, 0.0, "", entries, parents, retain, "", now, null);
    }

    static ControlUpdate activate(int version, long now) {
        return of(Op.ACTIVATE, version, now);
    }

    static ControlUpdate rollback(long now) {
        return of(Op.ROLLBACK, 0, now);
    }

    static ControlUpdate ab(int version, double share, Scope scope, long now) {
        return new ControlUpdate(Op.AB, version, share, scope.text(), LoadResult.ZERO, LoadResult.ZERO, 0, "", now,
                null);
    }

    static ControlUpdate abClear(long now) {
        return of(Op.AB_CLEAR, 0, now);
    }

    /** The transition itself (pure). */
    VersionControl apply(VersionControl before) {
        return switch (op) {
            case BEGIN -> before.begin(now, fallback);
            case FAIL -> before.fail(version, reason, now);
            case COMMIT -> before.commit(version, entries, parents, retain, now);
            case ACTIVATE -> before.activate(version, now);
            case ROLLBACK -> before.rollback(now);
            case AB -> before.ab(version, share, Scope.parse(scope), now);
            case AB_CLEAR -> before.abClear(now);
        };
    }

    @Override
    public ControlResult process(Map.Entry<String, VersionControl> entry) {
        VersionControl before = entry.getValue() == null ? VersionControl.empty(entry.getKey()) : entry.getValue();
        try {
            VersionControl after = apply(before);
            if (after != before) {
                entry.setValue(after);
            }
            return new ControlResult(before, after, "");
        } catch (VersionControlException e) {
            return new ControlResult(before, before, e.getMessage());
        }
    }
}
