package adrank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.udfs.experiment.Variant;
import adrank.udfs.stats.Counters;
import java.util.List;
import org.junit.jupiter.api.Test;

class LookupCommandTest {

    @Test
    void absentValuesPrintAsJsonNull() throws Exception {
        SnapshotEntry parent = new SnapshotEntry(2000.0, 0.0, 2000.0, 2000.0, null, null, null, false, Counters.ZERO,
                new Counters(100, 0, 0, 200_000, 0), 0);
        Lookup lookup = new Lookup("a1|MX|mobile|ios|safari|wifi", 3, true, parent, List.of("geo"), "geo:MX",
                Lookup.Source.MEMBER);
        String json = RowJson.MAPPER.writeValueAsString(LookupCommand.json(lookup));
        assertThat(json).isEqualTo("{\"key\":\"a1|MX|mobile|ios|safari|wifi\",\"version\":3,\"side\":\"B\","
                + "\"variant\":\"\",\"source\":\"MEMBER\",\"answered_by\":\"geo:MX\",\"entry\":{\"rank\":2000.0,\"weight\":0.0,"
                + "\"cpm\":2000.0,\"parent_cpm\":2000.0,\"vpc_mean\":null,\"vpc_lo\":null,\"vpc_hi\":null,"
                + "\"drift_flag\":false,\"today_imps\":0,\"total_imps\":100,\"computed_at\":\"1970-01-01T00:00:00Z\"}}");
        assertThat(LookupCommand.summary(lookup)).isEqualTo(
                "'a1|MX|mobile|ios|safari|wifi' rank $0.002 CPM from v3 (B) via parent geo:MX, source MEMBER, no experiment");
    }

    @Test
    void theVariantAnAdServerLogsIsPrintedWithTheSchemaThatAnswered() throws Exception {
        SnapshotEntry entry = new SnapshotEntry(1_500_000.0, 0.5, 1_500_000.0, 1_000_000.0, null, null, null, false, Counters.ZERO,
                new Counters(10, 0, 0, 15_000, 0), 0);
        Lookup lookup = new Lookup("k", 12, true, entry, null, "k", Lookup.Source.CACHE, "exp_mx",
                Variant.parse("mx-cpm:B:exp_mx:v12"));
        String json = RowJson.MAPPER.writeValueAsString(LookupCommand.json(lookup));
        assertThat(json).startsWith("{\"key\":\"k\",\"schema\":\"exp_mx\",\"version\":12,\"side\":\"B\","
                + "\"variant\":\"mx-cpm:B:exp_mx:v12\",");
        assertThat(LookupCommand.summary(lookup)).isEqualTo(
                "'k' rank $1.500 CPM from exp_mx v12 (B), source CACHE, variant mx-cpm:B:exp_mx:v12");
    }

    @Test
    void severalKeysAreSummedUpOnOneLine() {
        SnapshotEntry entry = new SnapshotEntry(1_500_000.0, 0.5, 1_500_000.0, 1_000_000.0, null, null, null, false,
                Counters.ZERO, new Counters(10, 0, 0, 15_000, 0), 0);
        List<Lookup> lookups = List.of(
                new Lookup("k1", 4, false, entry, null, "k1", Lookup.Source.MEMBER, "default", null),
                new Lookup("k2", 4, false, entry, List.of("geo"), "geo:MX", Lookup.Source.MEMBER, "default", null),
                new Lookup("k3", 4, false, null, null, null, Lookup.Source.MEMBER, "default", null));
        assertThat(LookupCommand.summary(lookups, 1830)).isEqualTo(
                "3 keys in one call (1830 µs): 2 found (1 own, 1 via parents), 1 not found; from default v4 (A)");
    }
}
