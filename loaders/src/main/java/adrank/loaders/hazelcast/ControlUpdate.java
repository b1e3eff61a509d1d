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

    enum Op { BEGIN, FAIL, COMMIT, ACTIVATE, ROLLBACK, AB, AB_CLEAR, PIN, UNPIN, HOLD, RELEASE, UNSTAGE }

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
    /** COMMIT: stage the version instead of activating it. */
    final boolean stage;
    /** AB: the experiment's name and salt ("" = keep / default). */
    final String experiment;
    final String salt;
    /** AB: the schema B is read from; HOLD/RELEASE: the holding schema; PIN: who pins. */
    final String otherSchema;

    ControlUpdate(Op op, int version, double share, String scope, LoadResult entries, LoadResult parents, int retain,
            String reason, long now, FallbackRule fallback) {
        this(op, version, share, scope, entries, parents, retain, reason, now, fallback, false, "", "", "");
    }

    ControlUpdate(Op op, int version, double share, String scope, LoadResult entries, LoadResult parents, int retain,
            String reason, long now, FallbackRule fallback, boolean stage, String experiment, String salt,
            String otherSchema) {
        this.stage = stage;
        this.experiment = experiment == null ? "" : experiment;
        this.salt = salt == null ? "" : salt;
        this.otherSchema = otherSchema == null ? "" : otherSchema;
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

    static ControlUpdate commit(int version, LoadResult entries, LoadResult parents, int retain, boolean stage,
            long now) {
        return new ControlUpdate(Op.COMMIT, version, 0.0, "", entries, parents, retain, "", now, null, stage, "", "",
                "");
    }

    static ControlUpdate activate(int version, long now) {
        return of(Op.ACTIVATE, version, now);
    }

    static ControlUpdate rollback(long now) {
        return of(Op.ROLLBACK, 0, now);
    }

    static ControlUpdate ab(String experiment, String salt, String bSchema, int version, double share, Scope scope,
            long now) {
        return new ControlUpdate(Op.AB, version, share, scope.text(), LoadResult.ZERO, LoadResult.ZERO, 0, "", now,
                null, false, experiment, salt, bSchema);
    }

    static ControlUpdate pin(String by, String reason, long now) {
        return new ControlUpdate(Op.PIN, 0, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, reason, now, null, false, "",
                "", by);
    }

    static ControlUpdate unstage(int version, long now) {
        return of(Op.UNSTAGE, version, now);
    }

    static ControlUpdate unpin(long now) {
        return of(Op.UNPIN, 0, now);
    }

    static ControlUpdate hold(String holder, int version, long now) {
        return new ControlUpdate(Op.HOLD, version, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, "", now, null, false,
                "", "", holder);
    }

    static ControlUpdate release(String holder, long now) {
        return new ControlUpdate(Op.RELEASE, 0, 0.0, "", LoadResult.ZERO, LoadResult.ZERO, 0, "", now, null, false,
                "", "", holder);
    }

    static ControlUpdate abClear(long now) {
        return of(Op.AB_CLEAR, 0, now);
    }

    /** The transition itself (pure). */
    VersionControl apply(VersionControl before) {
        return switch (op) {
            case BEGIN -> before.begin(now, fallback);
            case FAIL -> before.fail(version, reason, now);
            case COMMIT -> before.commit(version, entries, parents, retain, stage, now);
            case ACTIVATE -> before.activate(version, now);
            case ROLLBACK -> before.rollback(now);
            case AB -> before.ab(experiment, salt, otherSchema, version, share, Scope.parse(scope), now);
            case AB_CLEAR -> before.abClear(now);
            case PIN -> before.pin(otherSchema, reason, now);
            case UNPIN -> before.unpin(now);
            case HOLD -> before.hold(otherSchema, version, now);
            case RELEASE -> before.release(otherSchema, now);
            case UNSTAGE -> before.unstage(version, now);
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
