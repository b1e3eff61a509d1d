package adrank.loaders.hazelcast;

import adrank.loaders.config.PublishConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes versioned rank snapshots and switches between them (driver side of
 * {@code rank publish} and {@code rank versions ...}).
 *
 * <p>A publish is {@link #begin} → load the maps with the {@link Publication}'s loaders (from
 * executors) → {@link #commit}. Readers only ever read the active or the B version, and a
 * version becomes either only after its maps were counted and checksummed against what the
 * loaders reported, so a failed or killed publish is never read. Every change to the control
 * record is one atomic entry processor ({@link ControlUpdate}); every method returns what
 * changed.
 *
 * <p>One publish per schema at a time: {@code begin} treats an older LOADING version as a killed
 * publish and destroys it (its own commit then fails with a clear message).
 */
public final class SnapshotPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final HazelcastInstance client;
    private final PublishConfig publish;
    private final List<String> keyDimensions;
    private final LongSupplier clock;

    /**
     * @param client        a client (or member) of the cluster
     * @param publish       retention and batch size
     * @param keyDimensions {@code key.dimensions}, to check A/B scopes
     */
    public SnapshotPublisher(HazelcastInstance client, PublishConfig publish, List<String> keyDimensions) {
        this(client, publish, keyDimensions, System::currentTimeMillis);
    }

    SnapshotPublisher(HazelcastInstance client, PublishConfig publish, List<String> keyDimensions,
            LongSupplier clock) {
        this.client = client;
        this.publish = publish;
        this.keyDimensions = List.copyOf(keyDimensions);
        this.clock = clock;
    }

    /**
     * Starts a publish: allocates version N as LOADING, after dropping earlier LOADING (killed)
     * and FAILED versions and destroying every map of the schema that belongs to no READY version.
     *
     * @param fallback how the version's missing keys fall back to its parents (the key layout,
     *                 {@code rank.parents} and {@code rank.parent-min-impressions} the results
     *                 were computed with), recorded with the version for the readers
     */
    public Publication begin(String schema, FallbackRule fallback) {
        Objects.requireNonNull(fallback, "fallback");
        if (!fallback.keyDimensions().equals(keyDimensions)) {
            throw new IllegalArgumentException("the fallback rule's key dimensions " + fallback.keyDimensions()
                    + " are not key.dimensions " + keyDimensions);
        }
        Change change = update(schema, ControlUpdate.begin(clock.getAsLong(), fallback));
        int version = change.before().nextVersion();
        List<String> destroyed = destroyLeftovers(schema, change.after());
        LOG.info("publish {} v{} begun (fallback {}){}", schema, version, fallback.describe(),
                destroyed.isEmpty() ? "" : "; destroyed " + destroyed);
        return new Publication(schema, version, publish.batchSize(), change, destroyed, fallback);
    }

    /** {@link #commit(String, int, LoadResult, LoadResult)} for a {@link Publication}. */
    public PublishResult commit(Publication publication, LoadResult expectedEntries, LoadResult expectedParents) {
        return commit(publication.schema(), publication.version(), expectedEntries, expectedParents, false);
    }

    /**
     * {@link #commit(String, int, LoadResult, LoadResult, boolean)} for a {@link Publication};
     * {@code stage}: verify and keep READY as staged, do not activate ({@code publish --stage}).
     */
    public PublishResult commit(Publication publication, LoadResult expectedEntries, LoadResult expectedParents,
            boolean stage) {
        return commit(publication.schema(), publication.version(), expectedEntries, expectedParents, stage);
    }

    /** {@link #commit(String, int, LoadResult, LoadResult, boolean)} of a scheduled publish (activates unless pinned). */
    public PublishResult commit(String schema, int version, LoadResult expectedEntries, LoadResult expectedParents) {
        return commit(schema, version, expectedEntries, expectedParents, false);
    }

    /**
     * Verifies the loaded maps of LOADING version {@code version} against what the loaders
     * reported (entry count and checksum of both maps, computed on the members), then, in one
     * atomic step, marks it READY, makes it active (the old active becomes the first rollback
     * target) and drops READY versions beyond {@code publish.retain}, whose maps are then
     * destroyed. It is not made active when {@code stage} is set (it is recorded as staged) or
     * when the schema is pinned (after a rollback or {@code versions pin}): then it stays READY
     * and {@link PublishResult#activated()} is false.
     *
     * @throws SnapshotVerificationException when a count or checksum differs: the version is
     *                                       marked FAILED, its maps are destroyed, the active
     *                                       version does not change
     * @throws VersionControlException       when the version is not LOADING (e.g. a newer publish
     *                                       abandoned it)
     */
    public PublishResult commit(String schema, int version, LoadResult expectedEntries, LoadResult expectedParents,
            boolean stage) {
        VersionControl control = control(schema);
        VersionInfo info = control.version(version).orElseThrow(() -> new VersionControlException("schema " + schema
                + " has no v" + version + " (a newer publish may have abandoned it as killed); nothing to commit"));
        if (info.state() != VersionState.LOADING) {
            throw new VersionControlException("schema " + schema + ": v" + version + " is " + info.state()
                    + ", not LOADING; nothing to commit");
        }
        long started = System.nanoTime();
        LoadResult entries = measure(SnapshotMaps.entries(schema, version));
        LoadResult parents = measure(SnapshotMaps.parents(schema, version));
        long verifyMillis = (System.nanoTime() - started) / 1_000_000;
        String mismatch = mismatch(expectedEntries, entries, expectedParents, parents);
        if (!mismatch.isEmpty()) {
            int active;
            try {
                active = fail(schema, version, "verification failed: " + mismatch).after().active();
            } catch (VersionControlException e) {
                active = control(schema).active();
            }
            throw new SnapshotVerificationException("schema " + schema + ": v" + version + " failed verification: "
                    + mismatch + ". It was marked FAILED and its maps destroyed; " + VersionControl.name(active)
                    + " stays active.");
        }
        Change change = update(schema, ControlUpdate.commit(version, entries, parents, publish.retain(),
                stage, clock.getAsLong()));
        List<String> destroyed = destroyLeftovers(schema, change.after());
        LOG.info("publish {} v{} {} ({}; {} parents; verified in {} ms){}", schema, version,
                change.after().active() == version ? "active" : "READY, " + change.after().whyNotActive(
                        change.after().version(version).orElseThrow()), entries,
                parents.count(), verifyMillis, destroyed.isEmpty() ? "" : "; destroyed " + destroyed);
        return new PublishResult(schema, version, entries, parents, change, destroyed, verifyMillis);
    }

    /**
     * Abandons a LOADING version (a loader failed): marks it FAILED and destroys its maps. The
     * active version does not change. Refused (and nothing destroyed) for a READY version.
     */
    public Change fail(String schema, int version, String reason) {
        try {
            Change change = update(schema, ControlUpdate.fail(version, reason, clock.getAsLong()));
            LOG.warn("publish {} v{} failed: {}", schema, version, reason);
            return change;
        } finally {
            destroyLeftovers(schema, control(schema));
        }
    }

    /** Makes READY version {@code version} active (a no-op when it already is). */
    public Change activate(String schema, int version) {
        return update(schema, ControlUpdate.activate(version, clock.getAsLong()));
    }

    /** Makes the most recent rollback target active. */
    public Change rollback(String schema) {
        return update(schema, ControlUpdate.rollback(clock.getAsLong()));
    }

    /** Pins the schema: publishes load and verify but do not activate until {@link #unpin}. */
    public Change pin(String schema, String by, String reason) {
        return update(schema, ControlUpdate.pin(by, reason == null ? "" : reason, clock.getAsLong()));
    }

    /** Version {@code version} is no longer staged; retention treats it as any READY version again. */
    public Change unstage(String schema, int version) {
        return update(schema, ControlUpdate.unstage(version, clock.getAsLong()));
    }

    /** Lifts the pin; nothing switches until the next publish or an explicit {@link #activate}. */
    public Change unpin(String schema) {
        return update(schema, ControlUpdate.unpin(clock.getAsLong()));
    }

    /** {@link #ab(String, String, String, String, int, double, String)} with B a version of this schema. */
    public Change ab(String schema, int bVersion, double share, String scope) {
        return ab(schema, "", "", "", bVersion, share, scope);
    }

    /**
     * Starts (or changes) an experiment: traffic units whose {@code UnitSplit} bucket under the
     * experiment's salt is below {@code share} read B for keys within {@code scope}
     * ({@code dim=value}, or null/blank for every key); the others read the active version.
     *
     * <p>B from another schema: version {@code bVersion} of {@code bSchema} is first held in that
     * schema's record (refused unless READY there; its retention then keeps it), or with
     * {@code bVersion} 0 B follows that schema's active version and nothing is held. A hold the
     * experiment had before and no longer needs is released afterwards.
     *
     * @param experiment "" continues the running experiment or names a new one
     *                   {@link VersionControl#defaultExperiment}
     * @param salt       "" keeps the running experiment's salt, or is the name of a new one
     * @param bSchema    "" or this schema for a version of this schema
     */
    public Change ab(String schema, String experiment, String salt, String bSchema, int bVersion, double share,
            String scope) {
        Scope parsed = Scope.parse(scope);
        parsed.requireDimensionOf(keyDimensions);
        String other = bSchema == null || bSchema.equals(schema) ? "" : bSchema;
        VersionControl before = control(schema);
        if (!other.isEmpty() && bVersion > 0) {
            update(other, ControlUpdate.hold(schema, bVersion, clock.getAsLong()));
        }
        Change change;
        try {
            change = update(schema, ControlUpdate.ab(experiment, salt, other, bVersion, share, parsed,
                    clock.getAsLong()));
        } catch (VersionControlException e) {
            restoreHold(schema, before, other);
            throw e;
        }
        releaseUnused(schema, before, change.after());
        return change;
    }

    /** Ends the experiment (a no-op when there is none) and releases what it held in another schema. */
    public Change abClear(String schema) {
        VersionControl before = control(schema);
        Change change = update(schema, ControlUpdate.abClear(clock.getAsLong()));
        releaseUnused(schema, before, change.after());
        return change;
    }

    /** Releases the hold {@code before}'s experiment had in another schema unless {@code after} still needs it. */
    private void releaseUnused(String schema, VersionControl before, VersionControl after) {
        if (before.hasExperiment() && !before.bSchema().isEmpty() && before.bVersion() > 0
                && !(after.bSchema().equals(before.bSchema()) && after.bVersion() > 0)) {
            update(before.bSchema(), ControlUpdate.release(schema, clock.getAsLong()));
        }
    }

    /** After a refused experiment change: the other schema holds again what {@code before} held (or nothing). */
    private void restoreHold(String schema, VersionControl before, String other) {
        if (other.isEmpty()) {
            return;
        }
        if (before.bSchema().equals(other) && before.bVersion() > 0) {
            update(other, ControlUpdate.hold(schema, before.bVersion(), clock.getAsLong()));
        } else {
            update(other, ControlUpdate.release(schema, clock.getAsLong()));
        }
    }

    /** The schema's control record ({@link VersionControl#empty} before the first publish). */
    public VersionControl control(String schema) {
        VersionControl control = controlMap().get(schema);
        return control == null ? VersionControl.empty(schema) : control;
    }

    /** What {@code rank versions list} shows, newest first. */
    public List<VersionControl.VersionRow> list(String schema) {
        return control(schema).rows();
    }

    /**
     * "" when both maps hold what the loaders reported, otherwise what differs. Pure.
     */
    static String mismatch(LoadResult expectedEntries, LoadResult entries, LoadResult expectedParents,
            LoadResult parents) {
        List<String> problems = new ArrayList<>();
        if (!expectedEntries.equals(entries)) {
            problems.add("entries: loaders reported " + expectedEntries + ", the map holds " + entries);
        }
        if (!expectedParents.equals(parents)) {
            problems.add("parents: loaders reported " + expectedParents + ", the map holds " + parents);
        }
        return String.join("; ", problems);
    }

    private Change update(String schema, ControlUpdate update) {
        ControlResult result = controlMap().executeOnKey(schema, update);
        Change change = result.change();
        change.lines().forEach(line -> LOG.info("{}", line));
        return change;
    }

    private IMap<String, VersionControl> controlMap() {
        return client.getMap(SnapshotMaps.CONTROL);
    }

    private LoadResult measure(String mapName) {
        if (!existingMaps().contains(mapName)) {
            return LoadResult.ZERO;
        }
        IMap<String, SnapshotEntry> map = client.getMap(mapName);
        return map.aggregate(new ChecksumAggregator());
    }

    /** Destroys the schema's maps that belong to no READY or LOADING version of {@code control}. */
    private List<String> destroyLeftovers(String schema, VersionControl control) {
        List<String> orphans = SnapshotMaps.orphans(schema, existingMaps(), version -> control.version(version)
                .map(info -> info.state() != VersionState.FAILED).orElse(false));
        destroy(orphans);
        return orphans;
    }

    private void destroy(List<String> mapNames) {
        for (String name : mapNames) {
            client.getMap(name).destroy();
        }
    }

    private List<String> existingMaps() {
        List<String> names = new ArrayList<>();
        for (DistributedObject object : client.getDistributedObjects()) {
            if (object instanceof IMap<?, ?>) {
                names.add(object.getName());
            }
        }
        return names;
    }
}
