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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
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
 * reach it within milliseconds. Each
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
    private final Map<Integer, IMap<String, SnapshotEntry>> entryMaps = new ConcurrentHashMap<>();
    private final Map<Integer, IMap<String, SnapshotEntry>> parentMaps = new ConcurrentHashMap<>();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private final UUID listener;
    private final UUID lifecycleListener;
    private final ScheduledExecutorService refresher;
    private volatile Routing routing = Routing.NONE;

    /**
     * A reader with its own client ({@link HazelcastClients#connectForReading}), closed with it.
     */
    public static RankReader connect(HazelcastConfig hazelcast, ReaderConfig reader, KeyConfig key, String schema) {
        return new RankReader(HazelcastClients.connectForReading(hazelcast), true, schema, reader, key,
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
     * the A/B split is over).
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
        int version = r.version(trafficUnitId, () -> {
            FallbackRule bLayout = fallback(r, r.b());
            return r.scope().matches(bLayout.keyDimensions(), bLayout.parentKeys().components(key));
        });
        boolean b = version == r.b();
        SnapshotCache.Cached cached = cache.get(version, key);
        if (cached != null && cache.fresh(cached)) {
            return toLookup(key, version, b, cached.answer(), Lookup.Source.CACHE);
        }
        SnapshotCache.Answer answer;
        try {
            answer = fetch(version, key, fallback(r, version));
        } catch (ClusterUnreachable e) {
            if (unreachable.compareAndSet(false, true)) {
                LOG.warn("rank snapshots of {} unreachable, answering from the local cache: {}", schema,
                        e.getMessage());
            }
            return cached != null ? toLookup(key, version, b, cached.answer(), Lookup.Source.STALE_CACHE)
                    : new Lookup(key, version, b, null, null, null, Lookup.Source.UNAVAILABLE);
        }
        if (unreachable.compareAndSet(true, false)) {
            LOG.info("rank snapshots of {} reachable again", schema);
        }
        cache.put(version, key, answer);
        return toLookup(key, version, b, answer, Lookup.Source.MEMBER);
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
            client.getLifecycleService().removeLifecycleListener(lifecycleListener);
            if (ownsClient) {
                client.shutdown();
            }
        }
    }

    private Lookup toLookup(String key, int version, boolean b, SnapshotCache.Answer answer, Lookup.Source source) {
        return new Lookup(key, version, b, answer.entry(), answer.segment(), answer.answeredBy(), source);
    }

    /** The rule recorded with a version, or this reader's own for a version published without one. */
    private FallbackRule fallback(Routing r, int version) {
        FallbackRule recorded = r.fallback(version);
        return recorded != null ? recorded : legacyFallback;
    }

    /**
     * Reads the key, and when it is missing every parent of it at once, then lets
     * {@link ParentChoice} pick among them in the rule's order.
     */
    private SnapshotCache.Answer fetch(int version, String key, FallbackRule rule) throws ClusterUnreachable {
        long deadline = nanoClock.getAsLong() + readTimeoutNanos;
        try {
            IMap<String, SnapshotEntry> entries = entryMaps.computeIfAbsent(version,
                    v -> client.getMap(SnapshotMaps.entries(schema, v)));
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
            IMap<String, SnapshotEntry> parents = parentMaps.computeIfAbsent(version,
                    v -> client.getMap(SnapshotMaps.parents(schema, v)));
            String[] keys = new String[n];
            @SuppressWarnings("unchecked")
            CompletableFuture<SnapshotEntry>[] pending = new CompletableFuture[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rule.parentKeys().of(components, segments.get(i));
                pending[i] = parents.getAsync(keys[i]).toCompletableFuture();
            }
            SnapshotEntry[] found = new SnapshotEntry[n];
            for (int i = 0; i < n; i++) {
                found[i] = await(pending[i], deadline);
            }
            int chosen = ParentChoice.choose(n, i -> found[i] != null && found[i].cpm() != null,
                    i -> found[i].total().imps(), rule.parentMinImpressions());
            return chosen == ParentChoice.NONE ? SnapshotCache.Answer.NOTHING
                    : new SnapshotCache.Answer(found[chosen], segments.get(chosen), keys[chosen]);
        } catch (HazelcastSerializationException e) {
            throw e;
        } catch (HazelcastException e) {
            throw new ClusterUnreachable(e);
        }
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
     * Takes a control record if it supersedes the applied one (null: the entry was removed).
     * Answers of versions no longer live are dropped; all of them when the record was re-created,
     * since its version numbers start over and v1 may now be a different snapshot.
     */
    private synchronized void apply(VersionControl value) {
        Routing next = value == null ? Routing.NONE : Routing.of(value);
        Routing before = routing;
        if (value != null && !before.supersededBy(next)) {
            return;
        }
        routing = next;
        Set<Integer> keep = next.incarnation() == before.incarnation() ? next.live() : Set.of();
        entryMaps.keySet().retainAll(keep);
        parentMaps.keySet().retainAll(keep);
        cache.retainVersions(keep);
        if (before.active() != next.active() || before.b() != next.b() || before.share() != next.share()
                || !before.scope().equals(next.scope()) || before.incarnation() != next.incarnation()) {
            LOG.info("rank snapshots of {}: active {}, B {}", schema, VersionControl.name(next.active()),
                    next.b() == 0 ? "none" : "v" + next.b() + " at " + Change.percent(next.share()) + " of units"
                            + (next.scope().isAll() ? "" : " for " + next.scope().text()));
            for (int version : next.live()) {
                if (next.fallback(version) == null) {
                    LOG.warn("rank snapshots of {}: v{} was published without its fallback rule (an older "
                            + "publisher); its missing keys fall back along this reader's rank.parents ({}), first "
                            + "parent with a CPM. Publish again to have the batch's rule.", schema, version,
                            legacyFallback.parentSegments());
                }
            }
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
}
