package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reading a published version in batches through a real client of a real member. */
@ExtendWith(HazelcastCluster.class)
class SnapshotScanTest {

    @Test
    void iteratesInBatchesLooksUpAndSumsOnTheMembers(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("scan");
        SnapshotPublisher publisher = cluster.publisher(5);
        TestSnapshots.publish(publisher, cluster, schema, 250, 1);
        TestSnapshots.publish(publisher, cluster, schema, 300, 2);

        SnapshotScan v1 = SnapshotScan.open(cluster.client, schema, VersionRef.parse("previous"));
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.describe()).isEqualTo("schema " + schema + " v1 (previous)");
        assertThat(v1.size()).isEqualTo(250);
        assertThat(v1.info().fallback()).isEqualTo(HazelcastCluster.FALLBACK);
        // fetched 7 at a time: every entry once, as published
        Map<String, SnapshotEntry> read = new HashMap<>();
        Iterator<Map.Entry<String, SnapshotEntry>> it = v1.iterator(7);
        while (it.hasNext()) {
            Map.Entry<String, SnapshotEntry> e = it.next();
            assertThat(read.put(e.getKey(), e.getValue())).as("%s read twice", e.getKey()).isNull();
        }
        assertThat(read).isEqualTo(TestSnapshots.rows(250, 1));

        SnapshotScan v2 = SnapshotScan.open(cluster.client, schema, VersionRef.parse("active"));
        Map<String, SnapshotEntry> found = v2.getAll(Set.of(TestSnapshots.key(3), TestSnapshots.key(299), "nope"));
        assertThat(found).containsOnlyKeys(TestSnapshots.key(3), TestSnapshots.key(299));
        assertThat(found.get(TestSnapshots.key(299))).isEqualTo(TestSnapshots.entry(299, 2));
        // entry i has today imps i and total imps 5i, revenue 10i and 50i: sums over i < 300 = 6 * 44,850 and 60 * 44,850
        SnapshotScan.Totals totals = v2.totals();
        assertThat(totals).isEqualTo(new SnapshotScan.Totals(300, 6 * 44_850L, 60 * 44_850L));
        v2.requireUnchanged();

        // a third publish with retention 2 drops v1 while it is "read"
        cluster.publisher(2).commit(cluster.publisher(2).begin(schema, HazelcastCluster.FALLBACK), LoadResult.ZERO,
                LoadResult.ZERO);
        assertThatThrownBy(v1::requireUnchanged).isInstanceOf(VersionControlException.class)
                .hasMessageContaining("v1 was dropped while it was read");
        assertThatThrownBy(() -> SnapshotScan.open(cluster.client, schema, VersionRef.parse("1")))
                .isInstanceOf(VersionControlException.class).hasMessageContaining("has no version 1");
        assertThatThrownBy(() -> SnapshotScan.open(cluster.client, "never_" + schema, VersionRef.parse("active")))
                .isInstanceOf(VersionControlException.class).hasMessageContaining("was never published");
    }
}
