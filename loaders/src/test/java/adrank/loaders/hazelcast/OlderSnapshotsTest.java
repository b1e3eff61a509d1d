package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.stats.Counters;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Snapshots and control records written by the publisher before fallback rules were recorded and
 * before absent values were nullable (all doubles {@code FLOAT64}, NaN for none) still read: a
 * client registering the old Compact forms (same type names, the old fields) writes them, the
 * current reader reads them.
 */
@ExtendWith(HazelcastCluster.class)
class OlderSnapshotsTest {

    @Test
    void anOlderPublishersSnapshotReadsWithoutNanAndFallsBackAlongTheReadersSegments(HazelcastCluster.Cluster cluster) {
        String schema = cluster.newSchema("older");
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster.clientConfig().clusterName());
        config.getNetworkConfig().setAddresses(cluster.clientConfig().members());
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.getSerializationConfig().getCompactSerializationConfig().setSerializers(new OldEntrySerializer(),
                new OldVersionInfoSerializer(), new OldControlSerializer());
        HazelcastInstance old = HazelcastClient.newHazelcastClient(config);
        try {
            Counters total = new Counters(10, 1, 0, 20_000, 0);
            old.getMap(SnapshotMaps.entries(schema, 1)).set("a1|MX|tablet|o|b|c",
                    new OldEntry(7.5, 0.25, Double.NaN, 2000, Double.NaN, Double.NaN, Double.NaN, true, Counters.ZERO,
                            total, 11));
            // the old publisher loaded a parent without impressions with rank NaN; the global one had a CPM
            old.getMap(SnapshotMaps.parents(schema, 1)).set("geo,device:MX|tablet",
                    new OldEntry(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false,
                            Counters.ZERO, new Counters(0, 4, 1, 0, 0), 11));
            old.getMap(SnapshotMaps.parents(schema, 1)).set("*",
                    new OldEntry(2000, 0, 2000, 2000, Double.NaN, Double.NaN, Double.NaN, false, Counters.ZERO,
                            new Counters(100, 0, 0, 200_000, 0), 11));
            old.getMap(SnapshotMaps.CONTROL).set(schema, new OldControl(schema, 1, 1, new int[0], 0, 0.0, "", 2, 3, 11,
                    new OldVersionInfo[] {new OldVersionInfo(1, "READY", 1, 0, 2, 0, 10, 11, "")}));

            try (RankReader reader = new RankReader(cluster.client, schema,
                    HazelcastCluster.readerConfig(Duration.ofHours(1)), HazelcastCluster.KEY)) {
                assertThat(reader.routing().active()).isEqualTo(1);
                assertThat(reader.routing().fallback(1)).as("no rule recorded").isNull();
                Lookup own = reader.lookup("a1|MX|tablet|o|b|c", "u");
                assertThat(own.entry()).isEqualTo(new SnapshotEntry(7.5, 0.25, null, 2000, null, null, null, true,
                        Counters.ZERO, total, 11));
                // the NaN-ranked parent is no answer: along the reader's rank.parents, the global one
                Lookup missing = reader.lookup("a2|MX|tablet|o|b|c", "u");
                assertThat(missing.answeredBy()).isEqualTo("*");
                assertThat(missing.entry().rank()).isEqualTo(2000.0);
                assertThat(missing.entry().vpcMean()).isNull();
            }

            // the next publish goes on from the old control record and records its rule
            SnapshotPublisher publisher = cluster.publisher(5);
            PublishResult next = TestSnapshots.publish(publisher, cluster, schema, 10, 2);
            assertThat(next.version()).isEqualTo(2);
            VersionControl control = publisher.control(schema);
            assertThat(control.version(1).orElseThrow().fallback()).isNull();
            assertThat(control.version(2).orElseThrow().fallback()).isEqualTo(HazelcastCluster.FALLBACK);
        } finally {
            old.shutdown();
        }
    }

    /** {@code adrank.SnapshotEntry} as the publisher wrote it before: all doubles FLOAT64, NaN for none. */
    record OldEntry(double rank, double weight, double cpm, double parentCpm, double vpcMean, double vpcLo,
            double vpcHi, boolean driftFlagged, Counters today, Counters total, long computedAt) {
    }

    record OldVersionInfo(int version, String state, long entries, long checksum, long parentEntries,
            long parentChecksum, long createdAt, long readyAt, String note) {
    }

    record OldControl(String schema, long createdAt, int active, int[] previous, int bVersion, double bShare,
            String bScope, int nextVersion, long revision, long updatedAt, OldVersionInfo[] versions) {
    }

    static final class OldEntrySerializer implements CompactSerializer<OldEntry> {
        @Override
        public OldEntry read(CompactReader in) {
            throw new UnsupportedOperationException("write only");
        }

        @Override
        public void write(CompactWriter out, OldEntry e) {
            out.writeFloat64("rank", e.rank());
            out.writeFloat64("weight", e.weight());
            out.writeFloat64("cpm", e.cpm());
            out.writeFloat64("parentCpm", e.parentCpm());
            out.writeFloat64("vpcMean", e.vpcMean());
            out.writeFloat64("vpcLo", e.vpcLo());
            out.writeFloat64("vpcHi", e.vpcHi());
            out.writeBoolean("driftFlagged", e.driftFlagged());
            counters(out, "today", e.today());
            counters(out, "total", e.total());
            out.writeInt64("computedAt", e.computedAt());
        }

        private static void counters(CompactWriter out, String prefix, Counters c) {
            out.writeInt64(prefix + "Imps", c.imps());
            out.writeInt64(prefix + "Clicks", c.clicks());
            out.writeInt64(prefix + "Convs", c.convs());
            out.writeInt64(prefix + "RevenueMicros", c.revenueMicros());
            out.writeInt64(prefix + "ValueMicros", c.valueMicros());
        }

        @Override
        public String getTypeName() {
            return "adrank.SnapshotEntry";
        }

        @Override
        public Class<OldEntry> getCompactClass() {
            return OldEntry.class;
        }
    }

    static final class OldVersionInfoSerializer implements CompactSerializer<OldVersionInfo> {
        @Override
        public OldVersionInfo read(CompactReader in) {
            throw new UnsupportedOperationException("write only");
        }

        @Override
        public void write(CompactWriter out, OldVersionInfo v) {
            out.writeInt32("version", v.version());
            out.writeString("state", v.state());
            out.writeInt64("entries", v.entries());
            out.writeInt64("checksum", v.checksum());
            out.writeInt64("parentEntries", v.parentEntries());
            out.writeInt64("parentChecksum", v.parentChecksum());
            out.writeInt64("createdAt", v.createdAt());
            out.writeInt64("readyAt", v.readyAt());
            out.writeString("note", v.note());
        }

        @Override
        public String getTypeName() {
            return "adrank.VersionInfo";
        }

        @Override
        public Class<OldVersionInfo> getCompactClass() {
            return OldVersionInfo.class;
        }
    }

    static final class OldControlSerializer implements CompactSerializer<OldControl> {
        @Override
        public OldControl read(CompactReader in) {
            throw new UnsupportedOperationException("write only");
        }

        @Override
        public void write(CompactWriter out, OldControl c) {
            out.writeString("schema", c.schema());
            out.writeInt64("createdAt", c.createdAt());
            out.writeInt32("active", c.active());
            out.writeArrayOfInt32("previous", c.previous());
            out.writeInt32("bVersion", c.bVersion());
            out.writeFloat64("bShare", c.bShare());
            out.writeString("bScope", c.bScope());
            out.writeInt32("nextVersion", c.nextVersion());
            out.writeInt64("revision", c.revision());
            out.writeInt64("updatedAt", c.updatedAt());
            out.writeArrayOfCompact("versions", c.versions());
        }

        @Override
        public String getTypeName() {
            return "adrank.VersionControl";
        }

        @Override
        public Class<OldControl> getCompactClass() {
            return OldControl.class;
        }
    }
}
