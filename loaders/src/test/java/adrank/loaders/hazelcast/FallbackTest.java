package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.loaders.config.ReaderConfig;
import adrank.loaders.hbase.ParentTable;
import adrank.udfs.key.ParentKeys;
import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.result.KeyResult;
import adrank.udfs.result.KeyResults;
import adrank.udfs.result.KeyState;
import adrank.udfs.result.ParentModel;
import adrank.udfs.result.RankSettings;
import adrank.udfs.result.SegmentSums;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import adrank.udfs.vpc.PriorGuard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A key missing from a snapshot falls back exactly as the batch chose its rank parent, by the
 * rule the publish recorded with the version: real member, real client over loopback.
 */
@ExtendWith(HazelcastCluster.class)
class FallbackTest {

    private static final long MIN = 1000;
    private static final RankSettings SETTINGS = new RankSettings(300, MIN, new DriftPolicy(3, 0.5), 1.0, 0.9,
            PriorGuard.DEFAULT, 5);
    private static final FallbackRule RULE = FallbackRule.of(HazelcastCluster.KEY, HazelcastCluster.SEGMENTS, MIN);
    private static final ParentKeys PARENT_KEYS = new ParentKeys(HazelcastCluster.KEY.dimensions(), '|');
    private static final long COMPUTED_AT = 1_700_000_000_000L;

    /** A parent segment's model as the result stage builds it (3 keys, no clicks). */
    private static ParentModel model(String parentKey, Counters counters) {
        return ParentModel.of(parentKey, SegmentSums.ofWords(3, 0, SegmentSums.of(counters).words()), SETTINGS);
    }

    /** Its snapshot entry, the way the publish converts a row of the parents table. */
    private static SnapshotEntry published(ParentModel model) {
        return SnapshotRows.parent(model.parentKey(), ParentTable.columns(model), COMPUTED_AT);
    }

    private static Counters imps(long imps, long revenueMicros) {
        return new Counters(imps, 0, 0, revenueMicros, 0);
    }

    @Test
    void anUnseenKeyIsAnsweredByTheParentTheBatchChoosesForItsRank(HazelcastCluster.Cluster cluster) {
        Map<String, ParentModel> models = new LinkedHashMap<>();
        for (ParentModel m : List.of(
                // c1: its (ad, geo, device) parent has 400 < 1000 impressions, (ad, geo) has no row: (geo, device)
                model("ad_id,geo,device:c1|MX|tablet", imps(400, 40_000_000)),
                model("geo,device:MX|tablet", imps(5000, 15_000_000)),
                // c2: 999 impressions are one short, exactly 1000 qualify
                model("ad_id,geo,device:c2|BR|mobile", imps(999, 1_000_000)),
                model("ad_id,geo:c2|BR", imps(1000, 7_000_000)),
                // c3: a segment without impressions (clicks only: no CPM), then two thin ones: the global one
                model("ad_id,geo,device:c3|JP|desktop", new Counters(0, 5, 1, 0, 0)),
                model("ad_id,geo:c3|JP", imps(700, 700_000)),
                model("geo,device:JP|desktop", imps(20, 20_000)),
                // c4: the nearest segment has enough
                model("ad_id,geo,device:c4|DE|mobile", imps(2000, 8_000_000)),
                model("geo,device:DE|mobile", imps(90_000, 90_000_000)),
                model(ParentKeys.GLOBAL, imps(1_000_000, 2_000_000_000L)))) {
            models.put(m.parentKey(), m);
        }
        // the unseen keys and their parents, worked out by hand from the rule
        Map<String, String> expectedParent = new LinkedHashMap<>();
        expectedParent.put("c1|MX|tablet|os1|b1|wifi", "geo,device:MX|tablet");
        expectedParent.put("c2|BR|mobile|os2|b2|4g", "ad_id,geo:c2|BR");
        expectedParent.put("c3|JP|desktop|os3|b0|wifi", "*");
        expectedParent.put("c4|DE|mobile|os0|b1|4g", "ad_id,geo,device:c4|DE|mobile");
        // and the CPMs they answer with: revenue * 1000 / impressions
        Map<String, Double> expectedCpm = Map.of("geo,device:MX|tablet", 3_000_000.0, "ad_id,geo:c2|BR", 7_000_000.0,
                "*", 2_000_000.0, "ad_id,geo,device:c4|DE|mobile", 4_000_000.0);

        Map<String, SnapshotEntry> parents = new LinkedHashMap<>();
        models.values().forEach(m -> {
            SnapshotEntry entry = published(m);
            if (entry != null) {
                parents.put(m.parentKey(), entry);
            }
        });
        assertThat(parents).as("a segment without a CPM is left out").doesNotContainKey("ad_id,geo,device:c3|JP|desktop")
                .hasSize(models.size() - 1);
        String schema = cluster.newSchema("fallback");
        TestSnapshots.publish(cluster, schema, RULE, Map.of(), parents);

        try (RankReader reader = reader(cluster, schema, HazelcastCluster.SEGMENTS)) {
            for (Map.Entry<String, String> c : expectedParent.entrySet()) {
                String key = c.getKey();
                // the batch: the same parents, in rank.parents order, for a key without data of its own
                List<ParentModel> candidates = new ArrayList<>();
                for (List<String> segment : HazelcastCluster.SEGMENTS) {
                    candidates.add(models.get(PARENT_KEYS.of(key, segment)));
                }
                // (one open day with nothing in it: the rank is all parent)
                KeyState nothingOwn = new KeyState(key, new adrank.udfs.stats.OpenDays(List.of(
                        new adrank.udfs.stats.Today(java.time.LocalDate.of(2026, 1, 1), 1, Counters.ZERO))), null,
                        new ByDay(List.of()));
                KeyResult batch = KeyResults.compute(nothingOwn, candidates, SETTINGS,
                        java.time.LocalDate.of(2026, 1, 1), null);
                assertThat(batch.parentKey()).as("batch parent of %s", key).isEqualTo(c.getValue());
                assertThat(batch.parentCpm()).isEqualTo(expectedCpm.get(c.getValue()));

                Lookup lookup = reader.lookup(key, "unit-1");
                assertThat(lookup.answeredBy()).as("reader parent of %s", key).isEqualTo(c.getValue());
                assertThat(lookup.fromParent()).isTrue();
                assertThat(lookup.entry().rank()).isEqualTo(expectedCpm.get(c.getValue()));
            }
            assertThat(reader.lookup("c1|MX|tablet|os1|b1|wifi", "u").segment()).containsExactly("geo", "device");
        }

        // what a publish loads: only the parents the rule can answer with (the global one always, the others
        // with >= 1000 impressions); the reader answers every key exactly as with all of them
        Map<String, SnapshotEntry> answerable = new LinkedHashMap<>();
        parents.forEach((parentKey, entry) -> {
            if (RULE.canAnswerWith(RULE.requireSegmentOf(parentKey), entry.total().imps())) {
                answerable.put(parentKey, entry);
            }
        });
        assertThat(answerable).containsOnlyKeys("ad_id,geo:c2|BR", "geo,device:MX|tablet",
                "ad_id,geo,device:c4|DE|mobile", "geo,device:DE|mobile", "*");
        String pruned = cluster.newSchema("fallback-pruned");
        TestSnapshots.publish(cluster, pruned, RULE, Map.of(), answerable);
        try (RankReader all = reader(cluster, schema, HazelcastCluster.SEGMENTS);
                RankReader some = reader(cluster, pruned, HazelcastCluster.SEGMENTS)) {
            for (String key : expectedParent.keySet()) {
                Lookup a = all.lookup(key, "u");
                Lookup b = some.lookup(key, "u");
                assertThat(b.answeredBy()).as(key).isEqualTo(a.answeredBy());
                assertThat(b.entry()).as(key).isEqualTo(a.entry());
            }
            List<String> keys = List.copyOf(expectedParent.keySet());
            assertThat(some.lookupAll(keys, "u")).usingRecursiveFieldByFieldElementComparatorIgnoringFields("schema")
                    .isEqualTo(all.lookupAll(keys, "u"));

            // a reader that copies the (pruned) parents map whole answers the same without reading a parent; one
            // whose limit is below the map's size keeps reading them from the member
            ReaderConfig base = new ReaderConfig(Duration.ZERO, 10_000, Duration.ofMillis(500), Duration.ofHours(1),
                    HazelcastCluster.SEGMENTS);
            try (RankReader holding = new RankReader(cluster.client, pruned, base.withParents(0, 5), HazelcastCluster.KEY);
                    RankReader tooMany = new RankReader(cluster.client, pruned, base.withParents(0, 4),
                            HazelcastCluster.KEY)) {
                assertThat(holding.holdsParentsOf(pruned, 1)).isFalse();
                // the first fallback starts the copy and is answered by the member meanwhile
                assertThat(holding.lookup(keys.get(0), "u").answeredBy()).isEqualTo(expectedParent.get(keys.get(0)));
                tooMany.lookup(keys.get(0), "u");
                PublishTest.await(() -> holding.holdsParentsOf(pruned, 1));
                for (RankReader r : List.of(holding, tooMany)) {
                    for (String key : keys) {
                        Lookup a = all.lookup(key, "u");
                        Lookup b = r.lookup(key, "u");
                        assertThat(b.answeredBy()).as(key).isEqualTo(a.answeredBy());
                        assertThat(b.entry()).as(key).isEqualTo(a.entry());
                    }
                    assertThat(r.lookupAll(keys, "u")).usingRecursiveFieldByFieldElementComparatorIgnoringFields(
                            "schema", "source").isEqualTo(all.lookupAll(keys, "u"));
                }
                assertThat(tooMany.parentsCopy(pruned, 1)).as("5 parents > 4").isEqualTo(RankReader.CopyState.TOO_MANY);
            }

            // a parents map that is not what its publish verified (one parent too many, put in behind its back) is
            // never held: the reader keeps asking the members, which answer what the map holds
            String tampered = cluster.newSchema("fallback-tampered");
            TestSnapshots.publish(cluster, tampered, RULE, Map.of(), answerable);
            cluster.client.<String, SnapshotEntry>getMap(SnapshotMaps.parents(tampered, 1))
                    .set("ad_id,geo,device:c1|MX|tablet", parents.get("ad_id,geo,device:c1|MX|tablet"));
            try (RankReader reader = new RankReader(cluster.client, tampered, base.withParents(0, 100),
                    HazelcastCluster.KEY)) {
                reader.lookup(keys.get(0), "u");
                PublishTest.await(() -> reader.parentsCopy(tampered, 1) == RankReader.CopyState.MISMATCH);
                // (the member holds the planted parent, below the minimum: the answer stays the rule's)
                assertThat(reader.lookup(keys.get(0), "u").answeredBy()).isEqualTo(expectedParent.get(keys.get(0)));
                assertThat(reader.holdsParentsOf(tampered, 1)).isFalse();
            }
        }
    }

    @Test
    void aReaderConfiguredWithOtherSegmentsUsesThePublishedOnes(HazelcastCluster.Cluster cluster) {
        FallbackRule published = FallbackRule.of(HazelcastCluster.KEY,
                List.of(List.of("geo", "device"), List.of("geo"), List.of()), 100);
        Map<String, SnapshotEntry> parents = new LinkedHashMap<>();
        for (ParentModel m : List.of(model("ad_id:a1", imps(1_000_000, 9_000_000_000L)),
                model("geo,device:MX|mobile", imps(50, 50_000)), model("geo:MX", imps(500, 2_500_000)),
                model(ParentKeys.GLOBAL, imps(2_000_000, 2_000_000_000L)))) {
            parents.put(m.parentKey(), published(m));
        }
        String schema = cluster.newSchema("published");
        TestSnapshots.publish(cluster, schema, published, Map.of(), parents);

        // this ad server's own config says [ad_id] first, and would answer with ad_id:a1 (it exists and is large)
        try (RankReader reader = reader(cluster, schema, List.of(List.of("ad_id"), List.of()))) {
            assertThat(reader.routing().fallback(1)).isEqualTo(published);
            Lookup lookup = reader.lookup("a1|MX|mobile|os1|b1|wifi", "u");
            // geo,device:MX|mobile has 50 < 100 impressions: geo:MX, 2,500,000 * 1000 / 500 = 5,000,000
            assertThat(lookup.answeredBy()).isEqualTo("geo:MX");
            assertThat(lookup.segment()).containsExactly("geo");
            assertThat(lookup.entry().rank()).isEqualTo(5_000_000.0);
        }
    }

    @Test
    void bTrafficFallsBackAlongTheSegmentsOfTheBVersion(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("bsegments");
        Map<String, SnapshotEntry> parents = new LinkedHashMap<>();
        for (ParentModel m : List.of(model("geo,device:MX|mobile", imps(5000, 5_000_000)),
                model("geo,device:US|mobile", imps(5000, 10_000_000)), model("geo:MX", imps(9000, 27_000_000)),
                model("geo:US", imps(9000, 36_000_000)), model(ParentKeys.GLOBAL, imps(100_000, 100_000_000)))) {
            parents.put(m.parentKey(), published(m));
        }
        FallbackRule a = FallbackRule.of(HazelcastCluster.KEY, List.of(List.of("geo", "device"), List.of()), 1000);
        FallbackRule b = FallbackRule.of(HazelcastCluster.KEY, List.of(List.of("geo"), List.of()), 1000);
        TestSnapshots.publish(cluster, schema, a, Map.of(), parents);
        TestSnapshots.publish(cluster, schema, b, Map.of(), parents);
        SnapshotPublisher publisher = cluster.publisher(5);
        publisher.activate(schema, 1);
        publisher.ab(schema, 2, 1.0, "geo=MX");
        assertThat(publisher.control(schema).version(1).orElseThrow().fallback()).isEqualTo(a);
        assertThat(publisher.control(schema).version(2).orElseThrow().fallback()).isEqualTo(b);

        try (RankReader reader = reader(cluster, schema, HazelcastCluster.SEGMENTS)) {
            PublishTest.await(() -> reader.routing().b() == 2 && reader.routing().active() == 1);
            // MX is in the split's scope and every unit is on B: v2's segments, [geo] first
            Lookup mx = reader.lookup("x1|MX|mobile|os1|b1|wifi", "unit-7");
            assertThat(mx.b()).isTrue();
            assertThat(mx.version()).isEqualTo(2);
            assertThat(mx.answeredBy()).isEqualTo("geo:MX");
            assertThat(mx.entry().rank()).isEqualTo(3_000_000.0);
            // US is outside the scope: A, v1's segments, [geo, device] first
            Lookup us = reader.lookup("x1|US|mobile|os1|b1|wifi", "unit-7");
            assertThat(us.b()).isFalse();
            assertThat(us.version()).isEqualTo(1);
            assertThat(us.answeredBy()).isEqualTo("geo,device:US|mobile");
            assertThat(us.entry().rank()).isEqualTo(2_000_000.0);

            publisher.abClear(schema);
            PublishTest.await(() -> reader.routing().b() == 0);
            assertThat(reader.lookup("x1|MX|mobile|os1|b1|wifi", "unit-7").answeredBy())
                    .isEqualTo("geo,device:MX|mobile");
        }
    }

    @Test
    void absentValuesStayAbsentThroughAMemberAndTheChecksum(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("absent");
        SnapshotEntry none = new SnapshotEntry(1234.5, 0.0, null, 1234.5, null, null, null, false, Counters.ZERO,
                Counters.ZERO, COMPUTED_AT);
        SnapshotEntry zero = new SnapshotEntry(1234.5, 0.0, 0.0, 1234.5, 0.0, 0.0, 0.0, false, Counters.ZERO,
                Counters.ZERO, COMPUTED_AT);
        Map<String, SnapshotEntry> entries = Map.of("k1|MX|mobile|o|b|c", none, "k2|MX|mobile|o|b|c", zero);
        // the commit recomputes the checksum from what the member holds: it matches only if absence survives
        PublishResult result = TestSnapshots.publish(cluster, schema, HazelcastCluster.FALLBACK, entries, Map.of());
        assertThat(result.entries()).isEqualTo(TestSnapshots.expected(entries));

        try (RankReader reader = reader(cluster, schema, HazelcastCluster.SEGMENTS)) {
            SnapshotEntry read = reader.lookup("k1|MX|mobile|o|b|c", "u").entry();
            assertThat(read).isEqualTo(none);
            assertThat(read.cpm()).isNull();
            assertThat(read.vpcMean()).isNull();
            assertThat(read.vpcLo()).isNull();
            assertThat(read.vpcHi()).isNull();
            assertThat(reader.lookup("k2|MX|mobile|o|b|c", "u").entry()).isEqualTo(zero);
        }
        SnapshotEntry direct = cluster.client.<String, SnapshotEntry>getMap(SnapshotMaps.entries(schema, 1))
                .get("k1|MX|mobile|o|b|c");
        assertThat(direct).isEqualTo(none);
    }

    private static RankReader reader(HazelcastCluster.Cluster cluster, String schema, List<List<String>> segments) {
        return new RankReader(cluster.client, schema, new ReaderConfig(Duration.ofHours(1), 10_000,
                Duration.ofMillis(500), Duration.ofHours(1), segments), HazelcastCluster.KEY);
    }
}
