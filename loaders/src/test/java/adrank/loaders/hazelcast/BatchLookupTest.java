package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.key.ParentKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link RankReader#lookupAll}, the ranks of an ad server's candidate keys in one call, against a real
 * member and client over loopback: it answers each key exactly as {@link RankReader#lookup} does (own
 * entry, parent fallback, the experiment's arm within its scope, cache, cluster gone).
 */
@ExtendWith(HazelcastCluster.class)
class BatchLookupTest {

    private static final ParentKeys PARENT_KEYS = new ParentKeys(HazelcastCluster.KEY.dimensions(), '|');
    /** Keys 0..39 are in both versions; 1000..1009 in neither (their (geo, device) parent answers). */
    private static final int HELD = 40;

    /** Keys held, keys answered by a parent, one by the global parent only, and one asked twice. */
    private static List<String> candidates() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < HELD; i++) {
            keys.add(TestSnapshots.key(i));
        }
        for (int i = 1000; i < 1010; i++) {
            keys.add(TestSnapshots.key(i));
        }
        keys.add("a1|XX|mobile|ios|b1|wifi"); // no (geo, device) parent for XX: the global one
        keys.add(TestSnapshots.key(5));
        return keys;
    }

    @Test
    void answersEveryCandidateAsLookupDoesIncludingParentsAndTheExperimentsArm(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("batch");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, HELD, 1);
        TestSnapshots.publish(publisher, cluster, schema, HELD, 2);
        publisher.activate(schema, 1);
        // half of the units read v2 for keys in geo MX (keys 0, 5, 10, ... and 1000, 1005)
        publisher.ab(schema, 2, 0.5, "geo=MX");
        List<String> candidates = candidates();
        // ttl 0: every answer is read from the member, by lookupAll and by lookup alike
        try (RankReader reader = reader(cluster, schema, Duration.ZERO)) {
            PublishTest.awaitB(reader, 2);
            int unitsInB = 0;
            java.util.Set<String> levels = new java.util.HashSet<>();
            for (int u = 0; u < 200; u++) {
                String unit = "user-" + u;
                List<Lookup> batch = reader.lookupAll(candidates, unit);
                assertThat(batch).hasSameSizeAs(candidates);
                boolean inB = false;
                for (int i = 0; i < candidates.size(); i++) {
                    String key = candidates.get(i);
                    Lookup one = reader.lookup(key, unit);
                    assertThat(batch.get(i)).as("%s for %s", key, unit).isEqualTo(one);
                    Lookup b = batch.get(i);
                    assertThat(b.key()).isEqualTo(key);
                    assertThat(b.source()).isEqualTo(Lookup.Source.MEMBER);
                    inB |= b.b();
                    levels.add(b.fromParent() ? b.answeredBy().replaceAll(":.*", ":") : "own");
                    // and what the answer must be, from how the test built the versions
                    boolean mx = PARENT_KEYS.components(key).get(1).equals("MX");
                    assertThat(b.b()).as("only MX keys can be B").isEqualTo(b.version() == 2);
                    if (!mx) {
                        assertThat(b.version()).isEqualTo(1);
                    }
                    int index = i < HELD ? i : i == candidates.size() - 1 ? 5 : -1;
                    if (index >= 0) {
                        assertThat(b.entry()).isEqualTo(TestSnapshots.entry(index, b.version()));
                        assertThat(b.fromParent()).isFalse();
                    } else if (key.startsWith("a1|XX")) {
                        assertThat(b.answeredBy()).isEqualTo(ParentKeys.GLOBAL);
                        assertThat(b.entry()).isEqualTo(TestSnapshots.parents(b.version()).get(ParentKeys.GLOBAL));
                    } else {
                        // its (geo, device) parent, unless that one has no CPM (the test data's parent of
                        // MX|mobile): then the global one, the rule's first parent with a CPM
                        String parent = PARENT_KEYS.of(key, List.of("geo", "device"));
                        if (TestSnapshots.parents(b.version()).get(parent).cpm() == null) {
                            parent = ParentKeys.GLOBAL;
                        }
                        assertThat(b.answeredBy()).isEqualTo(parent);
                        assertThat(b.entry()).isEqualTo(TestSnapshots.parents(b.version()).get(parent));
                    }
                }
                if (inB) {
                    unitsInB++;
                    assertThat(batch.get(0).variantText()).endsWith(":B:" + schema + ":v2");
                }
            }
            assertThat(levels).as("own entries, (geo, device) parents and the global one all answered")
                    .containsExactlyInAnyOrder("own", "geo,device:", ParentKeys.GLOBAL);
            // 200 units at a share of 0.5: both arms are exercised (100 ± 4 sd)
            assertThat(unitsInB).isBetween(72, 128);
        }
    }

    @Test
    void cachedCandidatesAreAnsweredFromTheCacheAndOnlyTheRestRead(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("batchcache");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, HELD, 1);
        List<String> candidates = candidates();
        try (RankReader reader = reader(cluster, schema, Duration.ofHours(1))) {
            assertThat(reader.lookup(TestSnapshots.key(3), "u").source()).isEqualTo(Lookup.Source.MEMBER);
            assertThat(reader.lookup(TestSnapshots.key(1003), "u").source()).isEqualTo(Lookup.Source.MEMBER);
            List<Lookup> first = reader.lookupAll(candidates, "u");
            for (int i = 0; i < candidates.size(); i++) {
                String key = candidates.get(i);
                boolean wasCached = key.equals(TestSnapshots.key(3)) || key.equals(TestSnapshots.key(1003));
                assertThat(first.get(i).source()).as(key)
                        .isEqualTo(wasCached ? Lookup.Source.CACHE : Lookup.Source.MEMBER);
            }
            // every distinct candidate is now cached once: held, parents-answered and the global one
            assertThat(reader.cachedAnswers()).isEqualTo(candidates.size() - 1);
            List<Lookup> again = reader.lookupAll(candidates, "u");
            for (int i = 0; i < candidates.size(); i++) {
                assertThat(again.get(i).source()).isEqualTo(Lookup.Source.CACHE);
                assertThat(again.get(i).entry()).isEqualTo(first.get(i).entry());
                assertThat(again.get(i).answeredBy()).isEqualTo(first.get(i).answeredBy());
            }
        }
    }

    @Test
    void aNearCacheInFrontOfTheParentsMapsAnswersRepeatedParentsLocallyWithTheSameAnswers(
            HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("batchnear");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, HELD, 1);
        List<String> candidates = candidates();
        com.hazelcast.core.HazelcastInstance nearClient = HazelcastClients.connectForReading(cluster.clientConfig(),
                1000);
        // ttl 0: the reader's own cache answers nothing, every answer is read through the client
        try (RankReader plain = reader(cluster, schema, Duration.ZERO);
                RankReader near = new RankReader(nearClient, schema, HazelcastCluster.readerConfig(Duration.ZERO),
                        HazelcastCluster.KEY)) {
            List<Lookup> expected = plain.lookupAll(candidates, "u");
            assertThat(near.lookupAll(candidates, "u")).isEqualTo(expected);
            assertThat(near.lookupAll(candidates, "u")).isEqualTo(expected);
            for (String key : candidates) {
                assertThat(near.lookup(key, "u")).isEqualTo(plain.lookup(key, "u"));
            }
            var parents = nearClient.<String, SnapshotEntry>getMap(SnapshotMaps.parents(schema, 1))
                    .getLocalMapStats().getNearCacheStats();
            // the second batch and the single lookups found their parents in the near cache
            assertThat(parents.getHits()).isPositive();
            assertThat(parents.getOwnedEntryCount()).isPositive();
            assertThat(nearClient.getMap(SnapshotMaps.entries(schema, 1)).getLocalMapStats().getNearCacheStats())
                    .as("the entries maps have no near cache").isNull();
        } finally {
            nearClient.shutdown();
        }
    }

    @Test
    void nothingPublishedAnswersEveryCandidateWithNoVersion(HazelcastCluster.Cluster cluster) {
        try (RankReader reader = reader(cluster, cluster.newSchema("batchnone"), Duration.ofHours(1))) {
            assertThat(reader.lookupAll(List.of(TestSnapshots.key(1), TestSnapshots.key(2)), "u"))
                    .extracting(Lookup::source).containsExactly(Lookup.Source.NO_VERSION, Lookup.Source.NO_VERSION);
            assertThat(reader.lookupAll(List.of(), "u")).isEmpty();
        }
    }

    @Test
    void answersFromTheCacheAtOnceWhenTheMemberIsGone() {
        EmbeddedHazelcast member = EmbeddedHazelcast.start(HazelcastCluster.hazelcastConfig("adrank-batch-gone"));
        long[] now = {0};
        RankReader reader = null;
        String schema = "batchgone";
        try {
            var publishing = HazelcastClients.connect(member.clientConfig());
            SnapshotPublisher publisher = new SnapshotPublisher(publishing, HazelcastCluster.publishConfig(3),
                    HazelcastCluster.KEY.dimensions());
            Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
            LoadResult loaded = publication.entriesLoader(member.clientConfig())
                    .load(publishing, TestSnapshots.rows(HELD, 1).entrySet().iterator());
            LoadResult parents = publication.parentsLoader(member.clientConfig())
                    .load(publishing, TestSnapshots.parents(1).entrySet().iterator());
            publisher.commit(publication, loaded, parents);
            reader = new RankReader(HazelcastClients.connectForReading(member.clientConfig()), true, schema,
                    HazelcastCluster.readerConfig(Duration.ofMinutes(1), Duration.ofMillis(200)), HazelcastCluster.KEY,
                    () -> now[0]);
            List<String> someKeys = List.of(TestSnapshots.key(3), TestSnapshots.key(1003));
            assertThat(reader.lookupAll(someKeys, "u")).extracting(Lookup::source)
                    .containsOnly(Lookup.Source.MEMBER);
            publishing.shutdown();
            member.close();

            now[0] += Duration.ofMinutes(2).toNanos();
            long started = System.nanoTime();
            List<Lookup> gone = reader.lookupAll(List.of(TestSnapshots.key(3), TestSnapshots.key(1003),
                    TestSnapshots.key(7)), "u");
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(gone).extracting(Lookup::source).containsExactly(Lookup.Source.STALE_CACHE,
                    Lookup.Source.STALE_CACHE, Lookup.Source.UNAVAILABLE);
            assertThat(gone.get(0).entry()).isEqualTo(TestSnapshots.entry(3, 1));
            // key 1003 is DE|tablet, whose (geo, device) parent has a CPM
            assertThat(gone.get(1).answeredBy()).isEqualTo(PARENT_KEYS.of(TestSnapshots.key(1003),
                    List.of("geo", "device")));
            assertThat(gone.get(2).found()).isFalse();
        } finally {
            if (reader != null) {
                reader.close();
            }
            member.close();
        }
    }

    private static RankReader reader(HazelcastCluster.Cluster cluster, String schema, Duration ttl) {
        return new RankReader(cluster.client, schema, HazelcastCluster.readerConfig(ttl), HazelcastCluster.KEY);
    }
}
