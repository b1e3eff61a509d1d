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
        return commit(publication.schema(), publication.version(), expectedEntries, expectedParents);
    }

    /**
     * Verifies the loaded maps of LOADING version {@code version} against what the loaders
     * reported (entry count and checksum of both maps, computed on the members), then, in one
     * atomic step, marks it READY, makes it active (the old active becomes the first rollback
     * target) and drops READY versions beyond {@code publish.retain}, whose maps are then
     * destroyed.
     *
     * @throws SnapshotVerificationException when a count or checksum differs: the version is
     *                                       marked FAILED, its maps are destroyed, the active
     *                                       version does not change
     * @throws VersionControlException       when the version is not LOADING (e.g. a newer publish
     *                                       abandoned it)
     */
    public PublishResult commit(String schema, int version, LoadResult expectedEntries, LoadResult expectedParents) {
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
                clock.getAsLong()));
        List<String> destroyed = destroyLeftovers(schema, change.after());
        LOG.info("publish {} v{} active ({}; {} parents; verified in {} ms){}", schema, version, entries,
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

    /**
     * Starts (or changes) an A/B split: traffic units whose {@link TrafficSplit#bucket} is below
     * {@code share} read READY version {@code bVersion} for keys within {@code scope}
     * ({@code dim=value}, or null/blank for every key).
     */
    public Change ab(String schema, int bVersion, double share, String scope) {
        Scope parsed = Scope.parse(scope);
        parsed.requireDimensionOf(keyDimensions);
        return update(schema, ControlUpdate.ab(bVersion, share, parsed, clock.getAsLong()));
    }

    /** Ends the A/B split (a no-op when there is none). */
    public Change abClear(String schema) {
        return update(schema, ControlUpdate.abClear(clock.getAsLong()));
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
