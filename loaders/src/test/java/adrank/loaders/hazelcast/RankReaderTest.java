package adrank.loaders.hazelcast;

import adrank.udfs.key.ParentKeys;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HazelcastCluster.class)
class RankReaderTest {

    private static final int UNITS = 100_000;

    @Test
    void abSplitsUnitsByStableHashWithinItsScopeOnly(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("ab");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, 50, 1);
        TestSnapshots.publish(publisher, cluster, schema, 50, 2);
        publisher.activate(schema, 1);
        try (RankReader reader = reader(cluster, schema, Duration.ofHours(1))) {
            Change split = publisher.ab(schema, 2, 0.2, null);
            assertThat(split.lines()).containsExactly(schema + ": no experiment -> experiment " + schema
                    + "-v2: B = v2 for 20% of units (all keys)");
            PublishTest.awaitB(reader, 2);

            String key = TestSnapshots.key(0);
            int onB = 0;
            for (int u = 0; u < UNITS; u++) {
                Lookup lookup = reader.lookup(key, "user-" + u);
                assertThat(lookup.entry()).isEqualTo(TestSnapshots.entry(0, lookup.version()));
                assertThat(lookup.b()).isEqualTo(lookup.version() == 2);
                if (lookup.b()) {
                    onB++;
                }
            }
            assertThat(onB / (double) UNITS).isBetween(0.19, 0.21);
            for (int u = 0; u < 1000; u++) {
                int first = reader.lookup(TestSnapshots.key(u % 50), "user-" + u).version();
                for (int k = 0; k < 5; k++) {
                    assertThat(reader.lookup(TestSnapshots.key(k), "user-" + u).version()).isEqualTo(first);
                }
            }

            // scoped to geo=MX (keys 0, 5, 10, ...): everyone else reads A
            publisher.ab(schema, 2, 0.5, "geo=MX");
            PublishTest.await(() -> reader.routing().scope().equals(Scope.parse("geo=MX")));
            int mxOnB = 0;
            for (int u = 0; u < UNITS; u++) {
                if (reader.lookup(TestSnapshots.key(5), "user-" + u).version() == 2) {
                    mxOnB++;
                }
                Lookup us = reader.lookup(TestSnapshots.key(6), "user-" + u);
                assertThat(us.version()).isEqualTo(1);
                assertThat(us.b()).isFalse();
            }
            assertThat(mxOnB / (double) UNITS).isBetween(0.49, 0.51);

            publisher.abClear(schema);
            PublishTest.await(() -> reader.routing().b() == 0);
            assertThat(reader.lookup(TestSnapshots.key(5), "user-1").version()).isEqualTo(1);
        }
    }

    @Test
    void concurrentLookupsDuringSwitchesNeverMixVersions(HazelcastCluster.Cluster cluster) throws Exception {
        String schema = cluster.newSchema("switch");
        SnapshotPublisher publisher = cluster.publisher(5);
        int keys = 300;
        for (int seed = 1; seed <= 3; seed++) {
            TestSnapshots.publish(publisher, cluster, schema, keys, seed);
        }
        // ttl 0: every lookup reads the member, the hardest case for consistency
        try (RankReader reader = reader(cluster, schema, Duration.ZERO)) {
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong lookups = new AtomicLong();
            List<String> problems = new CopyOnWriteArrayList<>();
            Set<Integer> versionsSeen = ConcurrentHashMap.newKeySet();
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                workers.add(threads.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        int i = (n * 31 + thread * 7) % keys;
                        Lookup lookup = reader.lookup(TestSnapshots.key(i), "unit-" + thread + "-" + n++);
                        versionsSeen.add(lookup.version());
                        if (lookup.source() != Lookup.Source.MEMBER
                                || !TestSnapshots.entry(i, lookup.version()).equals(lookup.entry())) {
                            problems.add("key " + i + " v" + lookup.version() + " " + lookup.source() + ": "
                                    + lookup.entry());
                        }
                        lookups.incrementAndGet();
                    }
                }));
            }
            int[] targets = {1, 2, 3};
            for (int s = 0; s < 20; s++) {
                if (s % 5 == 4) {
                    publisher.rollback(schema);
                } else if (s % 5 == 2) {
                    publisher.ab(schema, targets[(s + 1) % 3] == reader.routing().active() ? targets[(s + 2) % 3]
                            : targets[(s + 1) % 3], 0.5, null);
                } else {
                    publisher.activate(schema, targets[s % 3]);
                }
                Thread.sleep(50);
            }
            running.set(false);
            for (Future<?> worker : workers) {
                worker.get(10, TimeUnit.SECONDS);
            }
            threads.shutdown();
            assertThat(problems).isEmpty();
            assertThat(versionsSeen).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(lookups.get()).isGreaterThan(1000);
        }
    }

    @Test
    void followsAnActivationWithinOneSecond(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("follow");
        SnapshotPublisher publisher = cluster.publisher(5);
        try (RankReader reader = reader(cluster, schema, Duration.ofHours(1))) {
            assertThat(reader.lookup(TestSnapshots.key(1), "u").source()).isEqualTo(Lookup.Source.NO_VERSION);
            TestSnapshots.publish(publisher, cluster, schema, 20, 1);
            TestSnapshots.publish(publisher, cluster, schema, 20, 2);
            PublishTest.awaitActive(reader, 2);
            assertThat(reader.lookup(TestSnapshots.key(1), "u").entry()).isEqualTo(TestSnapshots.entry(1, 2));

            for (int target : new int[] {1, 2, 1}) {
                long started = System.nanoTime();
                publisher.activate(schema, target);
                while (reader.lookup(TestSnapshots.key(1), "u").version() != target
                        && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1)) {
                    Thread.onSpinWait();
                }
                Lookup lookup = reader.lookup(TestSnapshots.key(1), "u");
                assertThat(lookup.version()).as("followed within 1 s").isEqualTo(target);
                assertThat(lookup.entry()).isEqualTo(TestSnapshots.entry(1, target));
            }
        }
    }

    @Test
    void aMissingKeyFallsBackAlongTheParentSegments(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("parents");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, 10, 1);
        ParentKeys parentKeys = new ParentKeys(HazelcastCluster.KEY.dimensions(), '|');
        try (RankReader reader = reader(cluster, schema, Duration.ofHours(1))) {
            // key 1000 is not in the snapshot; no (ad_id, ...) parents were loaded, (geo, device) was
            String missing = TestSnapshots.key(1000);
            Lookup lookup = reader.lookup(missing, "u");
            String parentKey = parentKeys.of(missing, List.of("geo", "device"));
            assertThat(parentKey).isEqualTo("geo,device:MX|tablet");
            assertThat(lookup.fromParent()).isTrue();
            assertThat(lookup.segment()).containsExactly("geo", "device");
            assertThat(lookup.answeredBy()).isEqualTo(parentKey);
            assertThat(lookup.entry()).isEqualTo(TestSnapshots.parents(1).get(parentKey));
            assertThat(lookup.source()).isEqualTo(Lookup.Source.MEMBER);
            Lookup cached = reader.lookup(missing, "u");
            assertThat(cached.source()).isEqualTo(Lookup.Source.CACHE);
            assertThat(cached.fromCache()).isTrue();
            assertThat(cached.answeredBy()).isEqualTo(parentKey);

            // an unknown geo has no (geo, device) parent either: the global average answers
            String nowhere = "a1|XX|mobile|ios|b1|wifi";
            Lookup global = reader.lookup(nowhere, "u");
            assertThat(global.segment()).isEmpty();
            assertThat(global.answeredBy()).isEqualTo(ParentKeys.GLOBAL);
            assertThat(global.entry()).isEqualTo(TestSnapshots.parents(1).get(ParentKeys.GLOBAL));

            Lookup own = reader.lookup(TestSnapshots.key(3), "u");
            assertThat(own.fromParent()).isFalse();
            assertThat(own.answeredBy()).isEqualTo(TestSnapshots.key(3));
            assertThat(reader.cachedAnswers()).isEqualTo(3);
            assertThat(reader.lookup("a1|XX|none|ios|b1|wifi", "u").found()).isTrue();
            TestSnapshots.publish(publisher, cluster, schema, 10, 2);
            PublishTest.awaitActive(reader, 2);
            assertThat(reader.cachedAnswers()).as("answers of v1 dropped on the switch").isZero();
        }
    }

    @Test
    void servesFromCacheWhenTheMemberIsGoneAndFollowsItBack() {
        EmbeddedHazelcast member = EmbeddedHazelcast.start(HazelcastCluster.hazelcastConfig("adrank-gone"));
        long[] now = {0};
        RankReader reader = null;
        String schema = "gone";
        try {
            var publishing = HazelcastClients.connect(member.clientConfig());
            SnapshotPublisher publisher = new SnapshotPublisher(publishing, HazelcastCluster.publishConfig(3),
                    HazelcastCluster.KEY.dimensions());
            assertThat(member.clientConfig().members()).containsExactly("127.0.0.1:" + member.port());
            publishOnce(publisher, publishing, member, schema, 1);
            reader = new RankReader(HazelcastClients.connectForReading(member.clientConfig()), true, schema,
                    HazelcastCluster.readerConfig(Duration.ofMinutes(1), Duration.ofMillis(200)), HazelcastCluster.KEY,
                    () -> now[0]);
            for (int i = 0; i < 10; i++) {
                assertThat(reader.lookup(TestSnapshots.key(i), "u").source()).isEqualTo(Lookup.Source.MEMBER);
            }
            long incarnationBefore = reader.routing().incarnation();
            publishing.shutdown();
            member.close();

            Lookup fresh = reader.lookup(TestSnapshots.key(3), "u");
            assertThat(fresh.source()).isEqualTo(Lookup.Source.CACHE);
            assertThat(fresh.entry()).isEqualTo(TestSnapshots.entry(3, 1));
            now[0] += Duration.ofMinutes(2).toNanos();
            Lookup stale = reader.lookup(TestSnapshots.key(3), "u");
            assertThat(stale.source()).isEqualTo(Lookup.Source.STALE_CACHE);
            assertThat(stale.version()).isEqualTo(1);
            assertThat(stale.entry()).isEqualTo(TestSnapshots.entry(3, 1));
            long started = System.nanoTime();
            Lookup never = reader.lookup(TestSnapshots.key(42), "u");
            assertThat(never.source()).isEqualTo(Lookup.Source.UNAVAILABLE);
            assertThat(never.found()).isFalse();
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));

            // a new member on the same address: the reader reconnects (backoff up to 2 s) and re-reads the
            // control entry, on the reconnect or by its periodic re-read if the reconnect's read came before
            // the publish and the listener was registered again after it
            member = EmbeddedHazelcast.start(member.clientConfig());
            publishing = HazelcastClients.connect(member.clientConfig());
            publisher = new SnapshotPublisher(publishing, HazelcastCluster.publishConfig(3),
                    HazelcastCluster.KEY.dimensions());
            publishOnce(publisher, publishing, member, schema, 7);
            RankReader r = reader;
            // (the reconnect may first read no control entry at all: Routing.NONE until the publish commits)
            PublishTest.await(() -> r.routing().active() == 1 && r.routing().incarnation() != incarnationBefore,
                    Duration.ofSeconds(20));
            Lookup back = reader.lookup(TestSnapshots.key(42), "u");
            assertThat(back.source()).isEqualTo(Lookup.Source.MEMBER);
            assertThat(back.entry()).isEqualTo(TestSnapshots.entry(42, 7));
            // the new cluster's v1 is another snapshot: nothing cached from the old v1 may answer
            Lookup renewed = reader.lookup(TestSnapshots.key(3), "u");
            assertThat(renewed.source()).isEqualTo(Lookup.Source.MEMBER);
            assertThat(renewed.entry()).isEqualTo(TestSnapshots.entry(3, 7));
            publishing.shutdown();
        } finally {
            if (reader != null) {
                reader.close();
            }
            member.close();
        }
    }

    private static void publishOnce(SnapshotPublisher publisher, com.hazelcast.core.HazelcastInstance client,
            EmbeddedHazelcast member, String schema, int seed) {
        Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
        LoadResult loaded = publication.entriesLoader(member.clientConfig())
                .load(client, TestSnapshots.rows(100, seed).entrySet().iterator());
        publisher.commit(publication, loaded, LoadResult.ZERO);
    }

    private static RankReader reader(HazelcastCluster.Cluster cluster, String schema, Duration ttl) {
        return new RankReader(cluster.client, schema, HazelcastCluster.readerConfig(ttl), HazelcastCluster.KEY);
    }
}
