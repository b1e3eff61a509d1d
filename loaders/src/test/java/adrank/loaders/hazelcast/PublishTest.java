package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.internal.serialization.impl.SerializationConstants;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HazelcastCluster.class)
class PublishTest {

    @Test
    void everyLookedUpValueEqualsItsSourceRow(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("pub");
        SnapshotPublisher publisher = cluster.publisher(3);
        PublishResult result = TestSnapshots.publish(publisher, cluster, schema, 2000, 1);

        assertThat(result.version()).isEqualTo(1);
        assertThat(result.entries()).isEqualTo(TestSnapshots.expected(TestSnapshots.rows(2000, 1)));
        assertThat(result.parents()).isEqualTo(TestSnapshots.expected(TestSnapshots.parents(1)));
        assertThat(result.change().lines()).contains(schema + ": active none -> v1");
        VersionControl control = publisher.control(schema);
        assertThat(control.active()).isEqualTo(1);
        assertThat(control.version(1).orElseThrow().state()).isEqualTo(VersionState.READY);
        assertThat(control.version(1).orElseThrow().entries()).isEqualTo(2000);

        try (RankReader reader = new RankReader(cluster.client, schema,
                HazelcastCluster.readerConfig(Duration.ofHours(1)), HazelcastCluster.KEY)) {
            for (Map.Entry<String, SnapshotEntry> row : TestSnapshots.rows(2000, 1).entrySet()) {
                Lookup lookup = reader.lookup(row.getKey(), "unit");
                assertThat(lookup.version()).isEqualTo(1);
                assertThat(lookup.source()).isEqualTo(Lookup.Source.MEMBER);
                assertThat(lookup.fromParent()).isFalse();
                assertThat(lookup.entry()).isEqualTo(row.getValue());
            }
            Lookup again = reader.lookup(TestSnapshots.key(7), "unit");
            assertThat(again.source()).isEqualTo(Lookup.Source.CACHE);
            assertThat(again.entry()).isEqualTo(TestSnapshots.entry(7, 1));
        }
    }

    @Test
    void everythingSentToTheClusterIsCompact(HazelcastCluster.Cluster cluster) {
        SerializationService client = ((SerializationServiceSupport) cluster.client).getSerializationService();
        List<Object> records = List.of(TestSnapshots.entry(1, 1), TestSnapshots.entry(70, 1), new LoadResult(1, 2),
                VersionControl.empty("s").begin(1), VersionControl.empty("s").begin(1, HazelcastCluster.FALLBACK),
                HazelcastCluster.FALLBACK, new ControlResult(VersionControl.empty("s"), VersionControl.empty("s"), ""));
        for (Object object : records) {
            assertThat(client.toData(object).getType()).as(object.getClass().getSimpleName())
                    .isEqualTo(SerializationConstants.TYPE_COMPACT);
            assertThat((Object) client.toObject(client.toData(object))).isEqualTo(object);
        }
        VersionControl withEverything = new VersionControl("s", 1, 2, List.of(1), 3, 0.25, "geo=MX", 5, 9, 10,
                List.of(), "mx-cpm", "salt1", "other", List.of(4), "rollback", "rolled back", 11, List.of("t=2"));
        assertThat((Object) client.toObject(client.toData(withEverything))).isEqualTo(withEverything);
        for (ControlUpdate update : List.of(ControlUpdate.commit(3, new LoadResult(4, 5), new LoadResult(6, 7), 2,
                true, 8), ControlUpdate.ab("mx-cpm", "salt1", "other", 0, 0.5, Scope.parse("geo=MX"), 9),
                ControlUpdate.pin("ops", "incident 12", 10), ControlUpdate.hold("t", 3, 11))) {
            assertThat(client.toData(update).getType()).isEqualTo(SerializationConstants.TYPE_COMPACT);
            ControlUpdate copy = client.toObject(client.toData(update));
            assertThat(copy).usingRecursiveComparison().isEqualTo(update);
        }
        ControlUpdate begin = ControlUpdate.begin(8, HazelcastCluster.FALLBACK);
        assertThat(((ControlUpdate) client.toObject(client.toData(begin))).fallback).isEqualTo(HazelcastCluster.FALLBACK);
        ChecksumAggregator aggregator = new ChecksumAggregator(9, 10);
        assertThat(client.toData(aggregator).getType()).isEqualTo(SerializationConstants.TYPE_COMPACT);
        assertThat(((ChecksumAggregator) client.toObject(client.toData(aggregator))).aggregate())
                .isEqualTo(new LoadResult(9, 10));
    }

    @Test
    void aCountMismatchNeverBecomesActiveAndItsMapsAreDestroyed(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("mismatch");
        SnapshotPublisher publisher = cluster.publisher(3);
        TestSnapshots.publish(publisher, cluster, schema, 100, 1);

        Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
        Map<String, SnapshotEntry> rows = TestSnapshots.rows(100, 2);
        LoadResult loaded = publication.entriesLoader(cluster.clientConfig())
                .load(cluster.client, rows.entrySet().iterator());
        LoadResult claimed = new LoadResult(loaded.count() + 1, loaded.checksum());

        assertThatThrownBy(() -> publisher.commit(publication, claimed, LoadResult.ZERO))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessageContaining("v2 failed verification")
                .hasMessageContaining("loaders reported 101 entries")
                .hasMessageContaining("the map holds 100 entries")
                .hasMessageContaining("v1 stays active");
        VersionControl control = publisher.control(schema);
        assertThat(control.active()).isEqualTo(1);
        assertThat(control.version(2).orElseThrow().state()).isEqualTo(VersionState.FAILED);
        assertThat(mapNames(cluster)).doesNotContain(publication.entriesMap());

        // the next publish drops the FAILED record and gets the next number
        PublishResult next = TestSnapshots.publish(publisher, cluster, schema, 100, 3);
        assertThat(next.version()).isEqualTo(3);
        assertThat(publisher.control(schema).version(2)).isEmpty();
    }

    @Test
    void aChecksumMismatchIsCaughtToo(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("checksum");
        SnapshotPublisher publisher = cluster.publisher(3);
        Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
        Map<String, SnapshotEntry> rows = TestSnapshots.rows(50, 1);
        LoadResult loaded = publication.entriesLoader(cluster.clientConfig())
                .load(cluster.client, rows.entrySet().iterator());
        // one value changed behind the loader's back
        cluster.client.<String, SnapshotEntry>getMap(publication.entriesMap())
                .set(TestSnapshots.key(3), TestSnapshots.entry(3, 99));

        assertThatThrownBy(() -> publisher.commit(publication, loaded, LoadResult.ZERO))
                .isInstanceOf(SnapshotVerificationException.class)
                .hasMessageContaining("checksum " + LoadResult.hex(loaded.checksum()))
                .hasMessageContaining("none stays active");
        assertThat(publisher.control(schema).active()).isZero();
    }

    @Test
    void aLoaderThrownOutMidLoadNeverBecomesActiveAndTheNextPublishCleansItsMap(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("killed");
        SnapshotPublisher publisher = cluster.publisher(3);
        TestSnapshots.publish(publisher, cluster, schema, 200, 1);

        Publication killed = publisher.begin(schema, HazelcastCluster.FALLBACK);
        Iterator<Map.Entry<String, SnapshotEntry>> rows = TestSnapshots.rows(2000, 2).entrySet().iterator();
        Iterator<Map.Entry<String, SnapshotEntry>> dying = new Iterator<>() {
            private int served;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Map.Entry<String, SnapshotEntry> next() {
                if (served++ == 1000) {
                    throw new IllegalStateException("executor lost");
                }
                return rows.next();
            }
        };
        assertThatThrownBy(() -> killed.entriesLoader(cluster.clientConfig()).load(cluster.client, dying))
                .hasMessage("executor lost");
        // the driver dies too: no fail(), no commit()
        assertThat(cluster.client.getMap(killed.entriesMap()).size()).isEqualTo(1000);
        assertThat(publisher.control(schema).active()).isEqualTo(1);
        try (RankReader reader = new RankReader(cluster.client, schema,
                HazelcastCluster.readerConfig(Duration.ofHours(1)), HazelcastCluster.KEY)) {
            assertThat(reader.lookup(TestSnapshots.key(0), "u").entry()).isEqualTo(TestSnapshots.entry(0, 1));
        }

        Publication next = publisher.begin(schema, HazelcastCluster.FALLBACK);
        assertThat(next.version()).isEqualTo(3);
        assertThat(next.destroyedMaps()).containsExactly(killed.entriesMap());
        assertThat(next.change().lines()).contains(schema + ": v2 dropped (was LOADING, maps destroyed)");
        assertThat(mapNames(cluster)).doesNotContain(killed.entriesMap());
        assertThat(publisher.control(schema).version(2)).isEmpty();
    }

    @Test
    void aCommitOfAnAbandonedPublishIsRefused(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("abandoned");
        SnapshotPublisher publisher = cluster.publisher(3);
        Publication first = publisher.begin(schema, HazelcastCluster.FALLBACK);
        LoadResult loaded = first.entriesLoader(cluster.clientConfig())
                .load(cluster.client, TestSnapshots.rows(10, 1).entrySet().iterator());
        publisher.begin(schema, HazelcastCluster.FALLBACK);

        assertThatThrownBy(() -> publisher.commit(first, loaded, LoadResult.ZERO))
                .isInstanceOf(VersionControlException.class)
                .hasMessageContaining("has no v1");
        assertThat(publisher.control(schema).active()).isZero();
    }

    @Test
    void failAbandonsALoadingVersionButNeverAReadyOne(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("fail");
        SnapshotPublisher publisher = cluster.publisher(3);
        TestSnapshots.publish(publisher, cluster, schema, 10, 1);
        Publication loading = publisher.begin(schema, HazelcastCluster.FALLBACK);
        loading.entriesLoader(cluster.clientConfig())
                .load(cluster.client, TestSnapshots.rows(10, 2).entrySet().iterator());

        Change change = publisher.fail(schema, loading.version(), "loader failed: boom");
        assertThat(change.lines()).contains(schema + ": v2 LOADING -> FAILED (loader failed: boom)");
        assertThat(mapNames(cluster)).doesNotContain(loading.entriesMap());

        assertThatThrownBy(() -> publisher.fail(schema, 1, "oops"))
                .isInstanceOf(VersionControlException.class)
                .hasMessageContaining("v1 is READY, not LOADING");
        assertThat(mapNames(cluster)).contains(SnapshotMaps.entries(schema, 1));
    }

    @Test
    void rollbackReturnsThePreviousVersion(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("rollback");
        SnapshotPublisher publisher = cluster.publisher(3);
        TestSnapshots.publish(publisher, cluster, schema, 100, 1);
        TestSnapshots.publish(publisher, cluster, schema, 100, 2);
        try (RankReader reader = new RankReader(cluster.client, schema,
                HazelcastCluster.readerConfig(Duration.ofHours(1)), HazelcastCluster.KEY)) {
            assertThat(reader.lookup(TestSnapshots.key(5), "u").entry()).isEqualTo(TestSnapshots.entry(5, 2));

            Change change = publisher.rollback(schema);
            assertThat(change.lines()).containsExactly(schema + ": active v2 -> v1",
                    schema + ": rollback targets [v1] -> []",
                    schema + ": pin none -> pinned by rollback (rolled back from v2 to v1)");
            assertThat(publisher.control(schema).active()).isEqualTo(1);
            awaitActive(reader, 1);
            Lookup lookup = reader.lookup(TestSnapshots.key(5), "u");
            assertThat(lookup.version()).isEqualTo(1);
            assertThat(lookup.entry()).isEqualTo(TestSnapshots.entry(5, 1));

            assertThatThrownBy(() -> publisher.rollback(schema))
                    .isInstanceOf(VersionControlException.class)
                    .hasMessageContaining("no previous version to roll back to (active v1)");
            assertThat(publisher.activate(schema, 2).lines()).contains(schema + ": active v1 -> v2");
            assertThat(publisher.activate(schema, 2).changed()).isFalse();
        }
    }

    @Test
    void retentionDestroysTheOldest(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("retain");
        SnapshotPublisher publisher = cluster.publisher(2);
        for (int seed = 1; seed <= 3; seed++) {
            TestSnapshots.publish(publisher, cluster, schema, 20, seed);
        }
        PublishResult fourth = TestSnapshots.publish(publisher, cluster, schema, 20, 4);

        assertThat(fourth.change().dropped()).containsExactly(2);
        assertThat(fourth.destroyedMaps()).containsExactlyInAnyOrder(SnapshotMaps.entries(schema, 2),
                SnapshotMaps.parents(schema, 2));
        assertThat(publisher.list(schema)).extracting(row -> row.info().version() + " " + row.role())
                .containsExactly("4 active", "3 previous");
        assertThat(mapNames(cluster)).filteredOn(name -> name.startsWith("rank." + schema + "."))
                .containsExactlyInAnyOrder(SnapshotMaps.entries(schema, 3), SnapshotMaps.parents(schema, 3),
                        SnapshotMaps.entries(schema, 4), SnapshotMaps.parents(schema, 4));
    }

    static List<String> mapNames(HazelcastCluster.Cluster cluster) {
        return cluster.client.getDistributedObjects().stream().map(DistributedObject::getName).toList();
    }

    static void awaitActive(RankReader reader, int version) {
        await(() -> reader.routing().active() == version);
    }

    static void awaitB(RankReader reader, int version) {
        await(() -> reader.routing().b() == version);
    }

    /** Waits up to 5 s for a condition (listener events arrive asynchronously). */
    static void await(java.util.function.BooleanSupplier condition) {
        await(condition, Duration.ofSeconds(5));
    }

    static void await(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean met = condition.getAsBoolean();
        while (!met && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            met = condition.getAsBoolean();
        }
        assertThat(met).as("condition within %s", timeout).isTrue();
    }
}
