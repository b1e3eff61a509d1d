package adrank.loaders.hazelcast;

import adrank.loaders.config.HazelcastConfig;
import adrank.loaders.config.KeyConfig;
import adrank.loaders.config.ReaderConfig;
import adrank.udfs.result.ParentChoice;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ad server uses to read ranks: {@link #lookup} resolves the version for the request
 * (the active one, or the B version of an A/B split for the traffic units and keys it covers),
 * answers from a local cache in front of the snapshot maps, falls back to a parent segment when
 * the key is missing, and keeps answering from the cache while the cluster is unreachable. Needs
 * only Hazelcast, adrank-loaders' config records and adrank-udfs (no Spark or HBase classes are
 * touched).
 *
 * <p>The fallback is the batch's: the parent segments, key layout and minimum impressions are the
 * ones the publish recorded with the version that answers ({@link VersionInfo#fallback()}; the B
 * version of a split uses its own), and the parent is chosen by {@link ParentChoice}, the function
 * the batch chose each key's rank parent with: the first segment whose parent has a CPM and at
 * least the minimum impressions, else the global segment. Only a version published before rules
 * were recorded falls back along this reader's {@code rank.parents}, taking the first parent with
 * a CPM (minimum 0).
 *
 * <p>The reader follows the schema's control entry with an entry listener (and re-reads it after
 * a reconnect and every {@code reader.control-refresh}), so activations, rollbacks and A/B changes
 * reach it within milliseconds. When the experiment's B is read from another schema it follows that
 * schema's control entry the same way, so that schema's publishes refresh B; a unit's arm depends
 * only on the experiment's salt, the unit and the share ({@link Routing#target}), so no refresh
 * moves a unit, and {@link Lookup#variant()} names what answered for the ad server's log. Each
 * lookup reads one routing snapshot and only that version's maps, and the cache is keyed by
 * (version, key), so an answer always comes whole from the version it reports. Thread-safe.
 */
public final class RankReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RankReader.class);

    private final HazelcastInstance client;
    private final boolean ownsClient;
    private final String schema;
    /** For versions published without a recorded rule: this reader's key config and rank.parents, minimum 0. */
    private final FallbackRule legacyFallback;
    private final long readTimeoutNanos;
    private final SnapshotCache cache;
    private final LongSupplier nanoClock;
    private final IMap<String, VersionControl> control;
    /** Map proxies by snapshot ({@link Routing#id}). */
    private final Map<String, IMap<String, SnapshotEntry>> entryMaps = new ConcurrentHashMap<>();
    private final Map<String, IMap<String, SnapshotEntry>> parentMaps = new ConcurrentHashMap<>();
    /** Parents maps copied whole into this reader, by snapshot ({@code reader.parents-local-max-entries}). */
    private final Map<String, LocalParents> localParents = new ConcurrentHashMap<>();
    private final int parentsLocalMax;
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private final UUID listener;
    private final UUID lifecycleListener;
    private final ScheduledExecutorService refresher;
    private volatile Routing routing = Routing.NONE;
    /** The last applied record of this schema (null: none yet, or removed). Guarded by this. */
    private VersionControl own;
    /** The schema B is read from when it is another one, its record and the listener on it. Guarded by this. */
    private String followed = "";
    private VersionControl followedRecord;
    private UUID followedListener;

    /**
     * A reader with its own client ({@link HazelcastClients#connectForReading}), closed with it.
     */
    public static RankReader connect(HazelcastConfig hazelcast, ReaderConfig reader, KeyConfig key, String schema) {
        return new RankReader(HazelcastClients.connectForReading(hazelcast, reader.parentsNearCacheEntries()), true,
                schema, reader, key,
                System::nanoTime);
    }

    /**
     * A reader on an existing client, which must have adrank's serializers registered
     * ({@link SnapshotSerialization#register}) and should use reconnect mode ASYNC so lookups do
     * not wait while the cluster is away. The client stays open on {@link #close}.
     */
    public RankReader(HazelcastInstance client, String schema, ReaderConfig reader, KeyConfig key) {
        this(client, false, schema, reader, key, System::nanoTime);
    }

    RankReader(HazelcastInstance client, boolean ownsClient, String schema, ReaderConfig reader, KeyConfig key,
            LongSupplier nanoClock) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.schema = schema;
        this.legacyFallback = FallbackRule.of(key, reader.parentSegments(), 0);
        this.readTimeoutNanos = reader.readTimeout().toNanos();
        this.parentsLocalMax = reader.parentsLocalMaxEntries();
        this.cache = new SnapshotCache(reader.cacheMaxEntries(), reader.cacheTtl().toNanos(), nanoClock);
        this.nanoClock = nanoClock;
        this.control = client.getMap(SnapshotMaps.CONTROL);
        // listener first, then the initial read: an update in between is not lost (revisions order them)
        this.listener = control.addEntryListener(new ControlListener(), schema, true);
        this.lifecycleListener = client.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.CLIENT_CONNECTED) {
                reloadControl();
            }
        });
        apply(control.get(schema));
        follow();
        long refreshMillis = reader.controlRefresh().toMillis();
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "adrank-reader-control-" + schema);
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::reloadControlPeriodically, refreshMillis, refreshMillis,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Looks up an encoded impression key for a traffic unit (user, device, page view: whatever
     * the experiment splits; the ad server logs this id as {@code unit_id} and the answer's
     * {@link Lookup#variantText()} as {@code variant}).
     *
     * @throws IllegalArgumentException if the key must be decoded (scope check, parent fallback)
     *                                  and does not have one component per key dimension of the
     *                                  version read
     */
    public Lookup lookup(String key, String trafficUnitId) {
        Routing r = routing;
        if (r.active() == 0) {
            return new Lookup(key, 0, false, null, null, null, Lookup.Source.NO_VERSION);
        }
        Routing.Target target = target(r, trafficUnitId, key);
        String snapshot = Routing.id(target.schema(), target.version());
        SnapshotCache.Cached cached = cache.get(snapshot, key);
        if (cached != null && cache.fresh(cached)) {
            return toLookup(key, target, cached.answer(), Lookup.Source.CACHE);
        }
        SnapshotCache.Answer answer;
        try {
            answer = fetch(target.schema(), target.version(), key, fallback(r, target.schema(), target.version()));
        } catch (ClusterUnreachable e) {
            if (unreachable.compareAndSet(false, true)) {
                LOG.warn("rank snapshots of {} unreachable, answering from the local cache: {}", schema,
                        e.getMessage());
            }
            return cached != null ? toLookup(key, target, cached.answer(), Lookup.Source.STALE_CACHE)
                    : toLookup(key, target, SnapshotCache.Answer.NOTHING, Lookup.Source.UNAVAILABLE);
        }
        if (unreachable.compareAndSet(true, false)) {
            LOG.info("rank snapshots of {} reachable again", schema);
        }
        cache.put(snapshot, key, answer);
        return toLookup(key, target, answer, Lookup.Source.MEMBER);
    }

    /**
     * The answers for many candidate keys of one request (an ad server's candidate ads in one
     * context), in the order of {@code keys}: the same answers {@link #lookup} gives for each key with
     * the same traffic unit, read from one routing snapshot, with at most two round trips per snapshot
     * read (an experiment can route keys in its scope to B): one {@code getAll} of the keys missing
     * from the local cache, then one {@code getAll} of every parent of the keys the version does not
     * hold. A key asked twice is read once and answered twice.
     *
     * <p>Unlike {@link #lookup}, which waits at most {@code reader.read-timeout}, a batch waits for its
     * {@code getAll}s like any client operation (Hazelcast's {@code getAll} has no asynchronous form):
     * while the client is disconnected it fails at once and the batch answers from the cache, but a
     * member that accepts the call and stalls holds it up to {@code hazelcast.invocation-timeout}.
     *
     * @throws IllegalArgumentException as {@link #lookup}, for the first key that cannot be decoded
     *                                  where it must be (nothing is answered then)
     */
    public List<Lookup> lookupAll(List<String> keys, String trafficUnitId) {
        Routing r = routing;
        Lookup[] answers = new Lookup[keys.size()];
        if (r.active() == 0) {
            for (int i = 0; i < answers.length; i++) {
                answers[i] = new Lookup(keys.get(i), 0, false, null, null, null, Lookup.Source.NO_VERSION);
            }
            return Arrays.asList(answers);
        }
        // the keys the cache cannot answer, by the snapshot their arm reads
        Map<String, Pending> pending = new LinkedHashMap<>();
        for (int i = 0; i < answers.length; i++) {
            String key = keys.get(i);
            Routing.Target target = target(r, trafficUnitId, key);
            String snapshot = Routing.id(target.schema(), target.version());
            SnapshotCache.Cached cached = cache.get(snapshot, key);
            if (cached != null && cache.fresh(cached)) {
                answers[i] = toLookup(key, target, cached.answer(), Lookup.Source.CACHE);
            } else {
                pending.computeIfAbsent(snapshot, s -> new Pending(target.schema(), target.version(),
                        fallback(r, target.schema(), target.version()))).add(i, key, target, cached);
            }
        }
        for (Map.Entry<String, Pending> p : pending.entrySet()) {
            String snapshot = p.getKey();
            Pending batch = p.getValue();
            Map<String, SnapshotCache.Answer> fetched;
            try {
                fetched = fetchAll(batch.schema, batch.version, batch.keys(), batch.rule);
            } catch (ClusterUnreachable e) {
                if (unreachable.compareAndSet(false, true)) {
                    LOG.warn("rank snapshots of {} unreachable, answering from the local cache: {}", schema,
                            e.getMessage());
                }
                for (int j = 0; j < batch.indexes.size(); j++) {
                    SnapshotCache.Cached stale = batch.cached.get(j);
                    answers[batch.indexes.get(j)] = stale != null
                            ? toLookup(batch.keys.get(j), batch.targets.get(j), stale.answer(),
                                    Lookup.Source.STALE_CACHE)
                            : toLookup(batch.keys.get(j), batch.targets.get(j), SnapshotCache.Answer.NOTHING,
                                    Lookup.Source.UNAVAILABLE);
                }
                continue;
            }
            if (unreachable.compareAndSet(true, false)) {
                LOG.info("rank snapshots of {} reachable again", schema);
            }
            for (Map.Entry<String, SnapshotCache.Answer> a : fetched.entrySet()) {
                cache.put(snapshot, a.getKey(), a.getValue());
            }
            for (int j = 0; j < batch.indexes.size(); j++) {
                answers[batch.indexes.get(j)] = toLookup(batch.keys.get(j), batch.targets.get(j),
                        fetched.get(batch.keys.get(j)), Lookup.Source.MEMBER);
            }
        }
        return Arrays.asList(answers);
    }

    /**
     * The keys of a batch that one snapshot must answer, with their places in the request, their targets
     * (keys of one snapshot differ in variant: within an experiment's scope A is logged, outside it nothing)
     * and their stale answers.
     */
    private static final class Pending {
        final String schema;
        final int version;
        final FallbackRule rule;
        final List<Integer> indexes = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final List<Routing.Target> targets = new ArrayList<>();
        final List<SnapshotCache.Cached> cached = new ArrayList<>();

        Pending(String schema, int version, FallbackRule rule) {
            this.schema = schema;
            this.version = version;
            this.rule = rule;
        }

        void add(int index, String key, Routing.Target target, SnapshotCache.Cached stale) {
            indexes.add(index);
            keys.add(key);
            targets.add(target);
            cached.add(stale);
        }

        Set<String> keys() {
            return new HashSet<>(keys);
        }
    }

    /** The routing the reader currently applies. */
    public Routing routing() {
        return routing;
    }

    /** Answers held in the local cache. */
    public int cachedAnswers() {
        return cache.size();
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        if (client.getLifecycleService().isRunning()) {
            control.removeEntryListener(listener);
            synchronized (this) {
                if (followedListener != null) {
                    control.removeEntryListener(followedListener);
                }
            }
            client.getLifecycleService().removeLifecycleListener(lifecycleListener);
            if (ownsClient) {
                client.shutdown();
            }
        }
    }

    private static Lookup toLookup(String key, Routing.Target target, SnapshotCache.Answer answer,
            Lookup.Source source) {
        return new Lookup(key, target.version(), target.b(), answer.entry(), answer.segment(), answer.answeredBy(),
                source, target.schema(), target.variant());
    }

    /**
     * The rule recorded with a version (B of another schema: the one in that schema's record, so it
     * falls back along its own parents map by its own rule), or this reader's own for a version
     * published without one.
     */
    private static FallbackRule fallback(Routing r, String fromSchema, int version, FallbackRule legacy) {
        FallbackRule recorded = fromSchema.equals(r.schema()) ? r.fallback(version)
                : version == r.b() ? r.bFallback() : null;
        return recorded != null ? recorded : legacy;
    }

    private FallbackRule fallback(Routing r, String fromSchema, int version) {
        return fallback(r, fromSchema, version, legacyFallback);
    }

    /**
     * Reads the key, and when it is missing every parent of it at once, then lets
     * {@link ParentChoice} pick among them in the rule's order.
     */
    private SnapshotCache.Answer fetch(String fromSchema, int version, String key, FallbackRule rule)
            throws ClusterUnreachable {
        String snapshot = Routing.id(fromSchema, version);
        long deadline = nanoClock.getAsLong() + readTimeoutNanos;
        try {
            IMap<String, SnapshotEntry> entries = entryMaps.computeIfAbsent(snapshot,
                    id -> client.getMap(SnapshotMaps.entries(fromSchema, version)));
            SnapshotEntry own = await(entries.getAsync(key).toCompletableFuture(), deadline);
            if (own != null) {
                return new SnapshotCache.Answer(own, null, key);
            }
            List<List<String>> segments = rule.parentSegments();
            int n = segments.size();
            if (n == 0) {
                return SnapshotCache.Answer.NOTHING;
            }
            List<String> components = rule.parentKeys().components(key);
            IMap<String, SnapshotEntry> parents = parentMaps.computeIfAbsent(snapshot,
                    id -> client.getMap(SnapshotMaps.parents(fromSchema, version)));
            String[] keys = new String[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rule.parentKeys().of(components, segments.get(i));
            }
            SnapshotEntry[] found = new SnapshotEntry[n];
            Map<String, SnapshotEntry> local = localParents(fromSchema, version, parents);
            if (local != null) {
                for (int i = 0; i < n; i++) {
                    found[i] = local.get(keys[i]);
                }
                return choose(rule, keys, found);
            }
            @SuppressWarnings("unchecked")
            CompletableFuture<SnapshotEntry>[] pending = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                pending[i] = parents.getAsync(keys[i]).toCompletableFuture();
            }
            for (int i = 0; i < n; i++) {
                found[i] = await(pending[i], deadline);
            }
            return choose(rule, keys, found);
        } catch (HazelcastSerializationException e) {
            throw e;
        } catch (HazelcastException e) {
            throw new ClusterUnreachable(e);
        }
    }

    /** The parent {@link ParentChoice} picks among a key's parents {@code found} (in the rule's order, null: none). */
    private static SnapshotCache.Answer choose(FallbackRule rule, String[] keys, SnapshotEntry[] found) {
        int chosen = ParentChoice.choose(found.length, i -> found[i] != null && found[i].cpm() != null,
                i -> found[i].total().imps(), rule.parentMinImpressions());
        return chosen == ParentChoice.NONE ? SnapshotCache.Answer.NOTHING
                : new SnapshotCache.Answer(found[chosen], rule.parentSegments().get(chosen), keys[chosen]);
    }

    /**
     * {@link #fetch} for many keys of one snapshot: one {@code getAll} of the keys, then one
     * {@code getAll} of every parent of those the version does not hold (each parent read once
     * however many keys share it), then the same choice per key.
     */
    private Map<String, SnapshotCache.Answer> fetchAll(String fromSchema, int version, Set<String> keys,
            FallbackRule rule) throws ClusterUnreachable {
        String snapshot = Routing.id(fromSchema, version);
        Map<String, SnapshotCache.Answer> answers = new HashMap<>(keys.size() * 2);
        try {
            IMap<String, SnapshotEntry> entries = entryMaps.computeIfAbsent(snapshot,
                    id -> client.getMap(SnapshotMaps.entries(fromSchema, version)));
            // (an entry of an older form that reads as none is a null value: a miss, as for lookup)
            Map<String, SnapshotEntry> own = entries.getAll(keys);
            Map<String, String[]> missing = new HashMap<>();
            List<List<String>> segments = rule.parentSegments();
            Set<String> parentKeys = new HashSet<>();
            for (String key : keys) {
                SnapshotEntry entry = own.get(key);
                if (entry != null) {
                    answers.put(key, new SnapshotCache.Answer(entry, null, key));
                } else if (segments.isEmpty()) {
                    answers.put(key, SnapshotCache.Answer.NOTHING);
                } else {
                    List<String> components = rule.parentKeys().components(key);
                    String[] parents = new String[segments.size()];
                    for (int i = 0; i < parents.length; i++) {
                        parents[i] = rule.parentKeys().of(components, segments.get(i));
                        parentKeys.add(parents[i]);
                    }
                    missing.put(key, parents);
                }
            }
            if (missing.isEmpty()) {
                return answers;
            }
            IMap<String, SnapshotEntry> parentMap = parentMaps.computeIfAbsent(snapshot,
                    id -> client.getMap(SnapshotMaps.parents(fromSchema, version)));
            Map<String, SnapshotEntry> local = localParents(fromSchema, version, parentMap);
            Map<String, SnapshotEntry> parents = local != null ? local : parentMap.getAll(parentKeys);
            for (Map.Entry<String, String[]> m : missing.entrySet()) {
                String[] candidates = m.getValue();
                SnapshotEntry[] found = new SnapshotEntry[candidates.length];
                for (int i = 0; i < found.length; i++) {
                    found[i] = parents.get(candidates[i]);
                }
                answers.put(m.getKey(), choose(rule, candidates, found));
            }
            return answers;
        } catch (HazelcastSerializationException e) {
            throw e;
        } catch (HazelcastException | HazelcastClientOfflineException e) {
            throw new ClusterUnreachable(e);
        }
    }

    /**
     * A snapshot's parents map, copied whole into this reader (its parents and nothing else: a parent it does not
     * hold does not exist), or null while it is not held: copies off ({@code reader.parents-local-max-entries} 0),
     * the map has more entries than that, or the copy is still loading. The first ask starts the copy on the
     * refresher thread; a copy that fails is tried again by an ask after {@value #LOCAL_PARENTS_RETRY_MILLIS} ms, one
     * that does not match the count and checksum the publish verified is never held (the members answer).
     */
    private Map<String, SnapshotEntry> localParents(String fromSchema, int version,
            IMap<String, SnapshotEntry> parents) {
        if (parentsLocalMax == 0) {
            return null;
        }
        String snapshot = Routing.id(fromSchema, version);
        LocalParents held = localParents.computeIfAbsent(snapshot, id -> new LocalParents());
        Map<String, SnapshotEntry> entries = held.entries;
        if (entries == null && held.tryStart(nanoClock.getAsLong())) {
            try {
                refresher.execute(() -> copyParents(fromSchema, version, held, parents));
            } catch (RejectedExecutionException closed) {
                held.failed(nanoClock.getAsLong());
            }
        }
        return entries;
    }

    private static final long LOCAL_PARENTS_RETRY_MILLIS = 10_000;

    /** Where this reader's copy of the parents map of {@code schema}'s {@code version} stands (tests, diagnostics). */
    CopyState parentsCopy(String fromSchema, int version) {
        LocalParents held = localParents.get(Routing.id(fromSchema, version));
        return held == null ? CopyState.NOT_STARTED : held.state();
    }

    boolean holdsParentsOf(String fromSchema, int version) {
        return parentsCopy(fromSchema, version) == CopyState.HELD;
    }

    private void copyParents(String fromSchema, int version, LocalParents into, IMap<String, SnapshotEntry> parents) {
        String snapshot = Routing.id(fromSchema, version);
        long started = System.nanoTime();
        try {
            // what the publish verified: a copy that matches it is the version's parents map, whatever happened to
            // the cluster since (a restarted one holds no such map and its record no such version)
            VersionControl record = control.get(fromSchema);
            VersionInfo verified = record == null ? null
                    : record.version(version).filter(v -> v.state() == VersionState.READY).orElse(null);
            if (verified == null) {
                into.failed(nanoClock.getAsLong());
                return;
            }
            int size = parents.size();
            if (size > parentsLocalMax) {
                into.tooMany();
                LOG.info("rank snapshots of {}: {} has {} parents, more than reader.parents-local-max-entries ({}): "
                        + "its parents are read from the members", schema, parents.getName(), size, parentsLocalMax);
                return;
            }
            Map<String, SnapshotEntry> copy = new HashMap<>(Math.max(16, size * 2));
            long checksum = 0;
            for (Map.Entry<String, SnapshotEntry> e : parents.entrySet()) {
                // (a value of an older form reads as none: the count then differs and the members answer)
                if (e.getValue() != null) {
                    copy.put(e.getKey(), e.getValue());
                    checksum += e.getValue().checksum(e.getKey());
                }
            }
            if (copy.size() != verified.parentEntries() || checksum != verified.parentChecksum()) {
                // a READY version's map never changes: copying it again would give the same
                into.mismatch();
                LOG.warn("rank snapshots of {}: the copy of {} ({} parents) does not match what its publish verified "
                        + "({} parents, checksum {}): its parents are read from the members", schema,
                        parents.getName(), copy.size(), verified.parentEntries(),
                        Long.toHexString(verified.parentChecksum()));
                return;
            }
            // only if the snapshot is still live: one dropped meanwhile may come back as another one of the same id
            if (localParents.get(snapshot) == into) {
                into.held(Map.copyOf(copy));
                LOG.info("rank snapshots of {}: {} parents of {} held locally ({} ms)", schema, copy.size(),
                        parents.getName(), (System.nanoTime() - started) / 1_000_000);
            }
        } catch (RuntimeException e) {
            into.failed(nanoClock.getAsLong());
            LOG.debug("parents of {} not copied (read from the members meanwhile): {}", parents.getName(),
                    e.toString());
        }
    }

    /** One snapshot's parents copy: loading, held, too large, or failed (retried later). */
    private static final class LocalParents {
        volatile Map<String, SnapshotEntry> entries;
        private CopyState state = CopyState.NOT_STARTED;
        private long retryAt;

        synchronized boolean tryStart(long now) {
            if (state == CopyState.LOADING || state == CopyState.HELD || state == CopyState.TOO_MANY
                    || state == CopyState.MISMATCH || (state == CopyState.FAILED && now < retryAt)) {
                return false;
            }
            state = CopyState.LOADING;
            return true;
        }

        synchronized void held(Map<String, SnapshotEntry> copy) {
            entries = copy;
            state = CopyState.HELD;
        }

        synchronized void failed(long now) {
            state = CopyState.FAILED;
            retryAt = now + TimeUnit.MILLISECONDS.toNanos(LOCAL_PARENTS_RETRY_MILLIS);
        }

        synchronized void tooMany() {
            state = CopyState.TOO_MANY;
        }

        synchronized void mismatch() {
            state = CopyState.MISMATCH;
        }

        synchronized CopyState state() {
            return state;
        }
    }

    /** Where the copy of a snapshot's parents map stands. */
    enum CopyState {
        /** (FAILED: the copy or the control record could not be read, tried again later; MISMATCH: never held.) */
        NOT_STARTED, LOADING, HELD, TOO_MANY, FAILED, MISMATCH
    }

    private <T> T await(CompletableFuture<T> future, long deadline) throws ClusterUnreachable {
        try {
            return future.get(Math.max(0, deadline - nanoClock.getAsLong()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ClusterUnreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterUnreachable(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HazelcastSerializationException s) {
                throw s;
            }
            throw new ClusterUnreachable(e.getCause());
        }
    }

    private void reloadControl() {
        String other;
        synchronized (this) {
            other = followed;
        }
        if (!other.isEmpty()) {
            control.getAsync(other).whenComplete((value, error) -> {
                if (error == null) {
                    applyFollowed(other, value);
                }
            });
        }
        control.getAsync(schema).whenComplete((value, error) -> {
            if (error == null) {
                apply(value);
            } else if (error instanceof HazelcastClientOfflineException) {
                LOG.debug("control entry of {} not re-read: the client is offline", schema);
            } else {
                LOG.warn("cannot re-read the control entry of {}: {}", schema, error.toString());
            }
        });
    }

    /** The periodic re-read (while the client is offline it fails quietly; the reconnect re-reads anyway). */
    private void reloadControlPeriodically() {
        try {
            if (client.getLifecycleService().isRunning()) {
                reloadControl();
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again; the next tick retries
            LOG.debug("control entry of {} not re-read: {}", schema, e.toString());
        }
    }

    /**
     * Takes a record of this schema if it supersedes the applied one (null: the entry was removed),
     * and when B moves to another schema starts following that schema's record (off the event
     * thread, see {@link #follow}).
     */
    private synchronized void apply(VersionControl value) {
        boolean newer = value == null || own == null || Routing.supersedes(value, own);
        if (newer) {
            own = value;
        }
        // refresher is null while the constructor runs; it calls follow() itself
        if (!bSchemaOf(own).equals(followed) && refresher != null) {
            refresher.execute(this::follow);
        }
        if (newer) {
            reroute();
        }
    }

    /** The schema B is read from when it is another one than this, else "". */
    private static String bSchemaOf(VersionControl record) {
        return record == null || !record.hasExperiment() ? "" : record.bSchema();
    }

    /** Takes a record of the schema B follows, if it is still followed and the record supersedes the applied one. */
    private synchronized void applyFollowed(String other, VersionControl value) {
        if (!other.equals(followed)) {
            return;
        }
        if (value != null && followedRecord != null && !Routing.supersedes(value, followedRecord)) {
            return;
        }
        if (value != null && followedRecord != null && value.createdAt() != followedRecord.createdAt()) {
            // that schema's record was re-created: its version numbers start over, so its cached
            // answers may belong to another snapshot of the same number
            Set<String> ownOnly = Set.of(Routing.id(schema, routing.active()));
            entryMaps.keySet().retainAll(ownOnly);
            parentMaps.keySet().retainAll(ownOnly);
            localParents.keySet().retainAll(ownOnly);
            cache.retainVersions(ownOnly);
        }
        followedRecord = value;
        reroute();
    }

    /**
     * Listens to the record of the schema B is read from (when another than this one) and reads it,
     * dropping the listener of a schema no longer followed. Runs on the refresher thread (or the
     * constructor), never on a listener's event thread, since it calls the cluster.
     */
    private void follow() {
        String wanted;
        String was;
        UUID oldListener;
        synchronized (this) {
            wanted = bSchemaOf(own);
            if (wanted.equals(followed)) {
                return;
            }
            was = followed;
            oldListener = followedListener;
            followed = wanted;
            followedRecord = null;
            followedListener = null;
            reroute();
        }
        try {
            if (oldListener != null) {
                control.removeEntryListener(oldListener);
            }
            if (wanted.isEmpty()) {
                return;
            }
            UUID id = control.addEntryListener(new FollowedListener(wanted), wanted, true);
            synchronized (this) {
                if (wanted.equals(followed)) {
                    followedListener = id;
                } else {
                    control.removeEntryListener(id);
                    return;
                }
            }
            applyFollowed(wanted, control.get(wanted));
            LOG.info("rank snapshots of {}: B of the experiment is read from schema {} (was {})", schema, wanted,
                    was.isEmpty() ? "this schema" : was);
        } catch (RuntimeException e) {
            // the periodic re-read and the reconnect retry: forget the choice so follow() runs again
            LOG.warn("cannot follow the control entry of {} (B of {}'s experiment): {}", wanted, schema,
                    e.toString());
            synchronized (this) {
                if (wanted.equals(followed) && followedListener == null) {
                    followed = "";
                }
            }
        }
    }

    /**
     * Recomputes the routing from the two records. Answers of snapshots no longer live are
     * dropped; all of them when this schema's record was re-created, since its version numbers
     * start over and v1 may now be a different snapshot.
     */
    private void reroute() {
        Routing next = own == null ? Routing.NONE : Routing.of(own, followedRecord);
        Routing before = routing;
        routing = next;
        Set<String> keep = next.incarnation() == before.incarnation() ? next.live() : Set.of();
        entryMaps.keySet().retainAll(keep);
        parentMaps.keySet().retainAll(keep);
        localParents.keySet().retainAll(keep);
        cache.retainVersions(keep);
        if (before.active() != next.active() || before.b() != next.b() || before.share() != next.share()
                || !before.scope().equals(next.scope()) || !before.experiment().equals(next.experiment())
                || !before.bSchema().equals(next.bSchema()) || before.incarnation() != next.incarnation()) {
            LOG.info("rank snapshots of {}: active {}, {}", schema, VersionControl.name(next.active()),
                    !next.hasExperiment() ? "no experiment"
                            : "experiment " + next.experiment() + " B " + next.bSchema() + " "
                                    + VersionControl.name(next.b()) + " at " + Change.percent(next.share())
                                    + " of units" + (next.scope().isAll() ? "" : " for " + next.scope().text()));
            if (next.active() != 0 && next.fallback(next.active()) == null) {
                warnLegacy(next.active());
            }
            if (next.b() != 0 && next.bFallback() == null) {
                warnLegacy(next.b());
            }
        }
    }

    private void warnLegacy(int version) {
        LOG.warn("rank snapshots of {}: v{} was published without its fallback rule (an older "
                + "publisher); its missing keys fall back along this reader's rank.parents ({}), first "
                + "parent with a CPM. Publish again to have the batch's rule.", schema, version,
                legacyFallback.parentSegments());
    }

    /** Follows the record of the schema B is read from. */
    private final class FollowedListener implements EntryAddedListener<String, VersionControl>,
            EntryUpdatedListener<String, VersionControl>, EntryRemovedListener<String, VersionControl> {
        private final String other;

        FollowedListener(String other) {
            this.other = other;
        }

        @Override
        public void entryAdded(EntryEvent<String, VersionControl> event) {
            applyFollowed(other, event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, VersionControl> event) {
            applyFollowed(other, event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, VersionControl> event) {
            applyFollowed(other, null);
        }
    }

    private final class ControlListener implements EntryAddedListener<String, VersionControl>,
            EntryUpdatedListener<String, VersionControl>, EntryRemovedListener<String, VersionControl> {

        @Override
        public void entryAdded(EntryEvent<String, VersionControl> event) {
            apply(event.getValue());
        }

        @Override
        public void entryUpdated(EntryEvent<String, VersionControl> event) {
            apply(event.getValue());
        }

        @Override
        public void entryRemoved(EntryEvent<String, VersionControl> event) {
            apply(null);
        }
    }

    /** The cluster did not answer within the read timeout (or the client is offline). */
    private static final class ClusterUnreachable extends Exception {
        private static final long serialVersionUID = 1L;

        ClusterUnreachable(Throwable cause) {
            super(cause == null ? "no answer" : cause.toString(), cause, false, false);
        }
    }

    /** The snapshot a unit's request for a key reads: its arm, the experiment's scope checked with A's key layout. */
    private Routing.Target target(Routing r, String trafficUnitId, String key) {
        return r.target(trafficUnitId, () -> {
            FallbackRule layout = fallback(r, r.schema(), r.active());
            return r.scope().matches(layout.keyDimensions(), layout.parentKeys().components(key));
        });
    }
}
