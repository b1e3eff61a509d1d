package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.experiment.UnitSplit;
import adrank.udfs.experiment.Variant;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Staged and pinned versions and experiments against a real Hazelcast member, read by a
 * {@link RankReader} on a real client: what the bidding team does, and what ad servers then read.
 */
@ExtendWith(HazelcastCluster.class)
class ExperimentTest {

    private static final int UNITS = 10_000;
    private static final int N = 50;

    @Test
    void aScheduledPublishAfterRollbackLoadsButDoesNotActivateUntilUnpinned(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("pin");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, N, 1);
        TestSnapshots.publish(publisher, cluster, schema, N, 2);
        String key = TestSnapshots.key(3);
        try (RankReader reader = reader(cluster, schema)) {
            publisher.rollback(schema);
            PublishTest.awaitActive(reader, 1);
            assertThat(publisher.control(schema).pinnedBy()).isEqualTo("rollback");

            PublishResult hourly = TestSnapshots.publish(publisher, cluster, schema, N, 3);
            assertThat(hourly.version()).isEqualTo(3);
            assertThat(hourly.activated()).isFalse();
            assertThat(hourly.whyNotActive()).startsWith("not active: schema pinned since ").endsWith(
                    " by rollback (rolled back from v2 to v1)");
            VersionControl control = publisher.control(schema);
            assertThat(control.active()).isEqualTo(1);
            assertThat(control.version(3).orElseThrow().state()).isEqualTo(VersionState.READY);
            assertThat(publisher.list(schema).get(0).whyNotActive()).isEqualTo(hourly.whyNotActive());
            assertThat(reader.lookup(key, "u").entry()).as("ad servers still read the rolled-back-to v1")
                    .isEqualTo(TestSnapshots.entry(3, 1));

            Change unpin = publisher.unpin(schema);
            assertThat(unpin.after().active()).as("unpin alone switches nothing").isEqualTo(1);
            assertThat(unpin.lines()).containsExactly(schema + ": pin pinned by rollback (rolled back from v2 to v1)"
                    + " -> none");
            PublishResult next = TestSnapshots.publish(publisher, cluster, schema, N, 4);
            assertThat(next.activated()).isTrue();
            PublishTest.awaitActive(reader, 4);
            assertThat(reader.lookup(key, "u").entry()).isEqualTo(TestSnapshots.entry(3, 4));
        }
    }

    @Test
    void aStagedVersionIsVerifiedButServedOnlyAfterActivate(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("stage");
        SnapshotPublisher publisher = cluster.publisher(2);
        TestSnapshots.publish(publisher, cluster, schema, N, 1);
        String key = TestSnapshots.key(7);
        try (RankReader reader = reader(cluster, schema)) {
            PublishResult staged = publishStaged(publisher, cluster, schema, 2);
            assertThat(staged.activated()).isFalse();
            assertThat(staged.change().after().staged()).containsExactly(2);
            assertThat(reader.lookup(key, "u").entry()).isEqualTo(TestSnapshots.entry(7, 1));
            // two scheduled publishes with retention 2 would drop v2 if it were not staged
            TestSnapshots.publish(publisher, cluster, schema, N, 3);
            TestSnapshots.publish(publisher, cluster, schema, N, 4);
            assertThat(publisher.control(schema).inState(VersionState.READY)).containsExactly(2, 3, 4);

            publisher.activate(schema, 2);
            PublishTest.awaitActive(reader, 2);
            assertThat(reader.lookup(key, "u").entry()).isEqualTo(TestSnapshots.entry(7, 2));
            assertThat(publisher.control(schema).staged()).isEmpty();
        }
    }

    @Test
    void raisingTheShareOnlyAddsUnitsAndRefreshingAOrBMovesNoUnit(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("prod");
        String experimentSchema = cluster.newSchema("exp");
        SnapshotPublisher publisher = cluster.publisher(3);
        TestSnapshots.publish(publisher, cluster, schema, N, 1);
        TestSnapshots.publish(publisher, cluster, experimentSchema, N, 11);
        String key = TestSnapshots.key(4);
        try (RankReader reader = reader(cluster, schema)) {
            // B follows the experiment schema's active version
            publisher.ab(schema, "mx-test", "", experimentSchema, 0, 0.10, null);
            PublishTest.await(() -> reader.routing().b() == 1 && reader.routing().bSchema().equals(experimentSchema));
            Map<String, Boolean> at10 = arms(reader, key, 11, 1, experimentSchema, schema);
            long inB10 = at10.values().stream().filter(b -> b).count();
            // 10,000 units at p = 0.1: sd = sqrt(10000 * 0.1 * 0.9) = 30, so ±4 sd is 880..1120
            assertThat(inB10).isBetween(880L, 1120L);

            publisher.ab(schema, "", "", experimentSchema, 0, 0.50, null);
            PublishTest.await(() -> reader.routing().share() == 0.50);
            Map<String, Boolean> at50 = arms(reader, key, 11, 1, experimentSchema, schema);
            at10.forEach((unit, b) -> {
                if (b) {
                    assertThat(at50.get(unit)).as("unit %s left B when the share rose", unit).isTrue();
                }
            });
            // p = 0.5: sd = 50, ±4 sd is 4800..5200
            assertThat(at50.values().stream().filter(b -> b).count()).isBetween(4800L, 5200L);

            // the experiment's schema runs its hourly publish: B is refreshed to v2
            TestSnapshots.publish(publisher, cluster, experimentSchema, N, 12);
            PublishTest.await(() -> reader.routing().b() == 2);
            assertThat(arms(reader, key, 12, 1, experimentSchema, schema)).as("B refreshed: no unit changed arm")
                    .isEqualTo(at50);
            // and production's own publish refreshes A
            TestSnapshots.publish(publisher, cluster, schema, N, 2);
            PublishTest.awaitActive(reader, 2);
            assertThat(arms(reader, key, 12, 2, experimentSchema, schema)).as("A refreshed: no unit changed arm")
                    .isEqualTo(at50);

            publisher.abClear(schema);
            PublishTest.await(() -> !reader.routing().hasExperiment());
            Lookup after = reader.lookup(key, "u1");
            assertThat(after.variant()).isNull();
            assertThat(after.entry()).isEqualTo(TestSnapshots.entry(4, 2));
        }
    }

    @Test
    void aFixedVersionOfAnotherSchemaIsHeldThereAndReadByTheBArmWithinTheScope(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("prod");
        String backfill = cluster.newSchema("backfill");
        SnapshotPublisher publisher = cluster.publisher(2);
        TestSnapshots.publish(publisher, cluster, schema, N, 1);
        TestSnapshots.publish(publisher, cluster, backfill, N, 21);
        TestSnapshots.publish(publisher, cluster, backfill, N, 22);
        try (RankReader reader = reader(cluster, schema)) {
            publisher.ab(schema, "bf-test", "", backfill, 1, 1.0, "geo=MX");
            assertThat(publisher.control(backfill).holds()).containsExactly(schema + "=1");
            PublishTest.await(() -> reader.routing().b() == 1);

            String mx = TestSnapshots.key(0); // GEOS[0] = MX
            String us = TestSnapshots.key(1);
            Lookup b = reader.lookup(mx, "any-unit");
            assertThat(b.b()).isTrue();
            assertThat(b.schema()).isEqualTo(backfill);
            assertThat(b.entry()).isEqualTo(TestSnapshots.entry(0, 21));
            assertThat(b.variant()).isEqualTo(new Variant("bf-test", Variant.Arm.B, backfill, 1));
            assertThat(b.variantText()).isEqualTo("bf-test:B:" + backfill + ":v1");
            Lookup outside = reader.lookup(us, "any-unit");
            assertThat(outside.b()).isFalse();
            assertThat(outside.entry()).isEqualTo(TestSnapshots.entry(1, 1));
            assertThat(outside.variant()).as("outside the scope: not in the experiment").isNull();
            // a missing key of B falls back along B's own parents map
            Lookup parent = reader.lookup("zz|MX|mobile|os0|b0|wifi", "any-unit");
            assertThat(parent.schema()).isEqualTo(backfill);
            assertThat(parent.fromParent()).isTrue();
            assertThat(parent.entry()).isEqualTo(TestSnapshots.parents(21).get(parent.answeredBy()));

            // the backfill schema keeps publishing with retention 2: its v1 is held
            TestSnapshots.publish(publisher, cluster, backfill, N, 23);
            TestSnapshots.publish(publisher, cluster, backfill, N, 24);
            assertThat(publisher.control(backfill).inState(VersionState.READY)).containsExactly(1, 3, 4);
            assertThat(publisher.control(backfill).role(1)).isEqualTo("held");
            assertThat(reader.lookup(mx, "another-unit").entry()).isEqualTo(TestSnapshots.entry(0, 21));

            publisher.abClear(schema);
            assertThat(publisher.control(backfill).holds()).as("ab-clear releases the hold").isEmpty();
            TestSnapshots.publish(publisher, cluster, backfill, N, 25);
            assertThat(publisher.control(backfill).inState(VersionState.READY)).containsExactly(4, 5);
        }
    }

    @Test
    void aSplitInAControlRecordOfThePreviousCodeReadsAsANamedExperimentAndCanBePinned(
            HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("upgrade");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, N, 1);
        TestSnapshots.publish(publisher, cluster, schema, N, 2);
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster.clientConfig().clusterName());
        config.getNetworkConfig().setAddresses(cluster.clientConfig().members());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getSerializationConfig().getCompactSerializationConfig().setSerializers(
                new OlderSnapshotsTest.OldVersionInfoSerializer(), new OlderSnapshotsTest.OldControlSerializer());
        HazelcastInstance old = HazelcastClient.newHazelcastClient(config);
        try {
            // what the previous code wrote for "v1 active, B = v2 for 30 % of units within geo=MX"
            old.getMap(SnapshotMaps.CONTROL).set(schema, new OlderSnapshotsTest.OldControl(schema, 1, 1, new int[0], 2,
                    0.3, "geo=MX", 3, 99, 11, new OlderSnapshotsTest.OldVersionInfo[] {
                        new OlderSnapshotsTest.OldVersionInfo(1, "READY", N, 0, 0, 0, 10, 11, ""),
                        new OlderSnapshotsTest.OldVersionInfo(2, "READY", N, 0, 0, 0, 10, 11, "")}));
        } finally {
            old.shutdown();
        }
        VersionControl upgraded = publisher.control(schema);
        assertThat(upgraded.experiment()).isEqualTo(schema + "-v2");
        assertThat(upgraded.salt()).isEqualTo(schema + "-v2");
        assertThat(upgraded.bVersion()).isEqualTo(2);
        assertThat(upgraded.pinned()).isFalse();
        assertThat(upgraded.staged()).isEmpty();
        Change pin = publisher.pin(schema, "ops", "after the upgrade");
        assertThat(pin.after().pinnedBy()).isEqualTo("ops");
        assertThat(pin.after().experiment()).as("rewritten in the new form, same experiment").isEqualTo(schema + "-v2");
        try (RankReader reader = reader(cluster, schema)) {
            Lookup lookup = reader.lookup(TestSnapshots.key(0), firstUnit(schema + "-v2", 0.3));
            assertThat(lookup.variantText()).isEqualTo(schema + "-v2:B:" + schema + ":v2");
        }
    }

    private static String firstUnit(String salt, double share) {
        for (int u = 0;; u++) {
            if (UnitSplit.inB(salt, "u" + u, share)) {
                return "u" + u;
            }
        }
    }

    /**
     * Each unit's arm for {@code key}, checking on the way that B-arm units read B's schema and
     * version (entries seeded {@code bSeed}), A-arm units read the active version (seeded
     * {@code aSeed}), the arm is the one {@link UnitSplit} gives under the experiment's salt, and
     * the variant names what answered.
     */
    private static Map<String, Boolean> arms(RankReader reader, String key, int bSeed, int aSeed,
            String bSchema, String aSchema) {
        Routing routing = reader.routing();
        int index = 4;
        Map<String, Boolean> arms = new HashMap<>();
        for (int u = 0; u < UNITS; u++) {
            String unit = "unit-" + u;
            Lookup lookup = reader.lookup(key, unit);
            assertThat(lookup.b()).isEqualTo(UnitSplit.inB(routing.salt(), unit, routing.share()));
            if (lookup.b()) {
                assertThat(lookup.entry()).isEqualTo(TestSnapshots.entry(index, bSeed));
                assertThat(lookup.variantText()).isEqualTo(routing.experiment() + ":B:" + bSchema + ":v" + routing.b());
            } else {
                assertThat(lookup.entry()).isEqualTo(TestSnapshots.entry(index, aSeed));
                assertThat(lookup.variantText()).isEqualTo(routing.experiment() + ":A:" + aSchema + ":v"
                        + routing.active());
            }
            arms.put(unit, lookup.b());
        }
        return arms;
    }

    private static PublishResult publishStaged(SnapshotPublisher publisher, HazelcastCluster.Cluster cluster,
            String schema, int seed) {
        Publication publication = publisher.begin(schema, HazelcastCluster.FALLBACK);
        LoadResult loaded = LoadResult.ZERO;
        for (Iterator<Map.Entry<String, SnapshotEntry>> partition
                : TestSnapshots.partitions(TestSnapshots.rows(N, seed), 2)) {
            loaded = loaded.plus(publication.entriesLoader(cluster.clientConfig()).load(cluster.client, partition));
        }
        LoadResult parents = publication.parentsLoader(cluster.clientConfig())
                .load(cluster.client, TestSnapshots.parents(seed).entrySet().iterator());
        return publisher.commit(publication, loaded, parents, true);
    }

    private static RankReader reader(HazelcastCluster.Cluster cluster, String schema) {
        return new RankReader(cluster.client, schema, HazelcastCluster.readerConfig(Duration.ofHours(1)),
                HazelcastCluster.KEY);
    }
}
