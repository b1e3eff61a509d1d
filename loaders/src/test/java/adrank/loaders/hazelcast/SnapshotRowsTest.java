package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.loaders.hbase.StoredRow;
import adrank.udfs.stats.ByDay;
import adrank.udfs.stats.Counters;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SnapshotRowsTest {

    private static final String KEY = "ad7|MX|mobile|ios|safari|wifi";

    private static StoredRow row(Map<String, String> results) {
        return new StoredRow(KEY, new TreeMap<>(), null, new ByDay(List.of()), null, results, 0);
    }

    private static Map<String, String> results() {
        Map<String, String> r = new TreeMap<>();
        r.put("cpm", "5000.0");
        r.put("weight", "0.25");
        r.put("parent", "*");
        r.put("parent_cpm", "2000.0");
        r.put("rank", "2750.0");
        r.put("drift", "");
        r.put("drift_flag", "false");
        r.put("vpc_parent", "*");
        r.put("vpc_mean", "12.5");
        r.put("vpc_lo", "1.5");
        r.put("vpc_hi", "40.0");
        r.put("computed_at", "2026-11-02T05:10:00Z");
        return r;
    }

    @Test
    void emptyStoredValuesBecomeAbsentOnes() {
        Map<String, String> r = results();
        r.put("cpm", "");
        r.remove("vpc_mean");
        r.remove("vpc_lo");
        r.remove("vpc_hi");
        SnapshotEntry entry = SnapshotRows.entry(row(r));
        assertThat(entry).isEqualTo(new SnapshotEntry(2750.0, 0.25, null, 2000.0, null, null, null, false,
                Counters.ZERO, Counters.ZERO, 1_793_596_200_000L));
    }

    @Test
    void eachRowKeepsItsOwnComputedAtWhenRunsAlternate() {
        // 2026-11-02T05:10:00Z and 2026-11-02T06:10:00.250Z, by hand: 1,793,596,200,000 and + 3,600,250 ms
        Map<String, String> later = results();
        later.put("computed_at", "2026-11-02T06:10:00.250Z");
        Map<String, String> none = results();
        none.put("computed_at", "");
        for (int i = 0; i < 3; i++) {
            assertThat(SnapshotRows.entry(row(results())).computedAt()).isEqualTo(1_793_596_200_000L);
            assertThat(SnapshotRows.entry(row(later)).computedAt()).isEqualTo(1_793_599_800_250L);
            assertThat(SnapshotRows.entry(row(later)).computedAt()).isEqualTo(1_793_599_800_250L);
            assertThat(SnapshotRows.entry(row(none)).computedAt()).isZero();
        }
    }

    @Test
    void aNonFiniteStoredNumberIsRefusedNamingTheKeyAndTheField() {
        for (String field : List.of("rank", "weight", "cpm", "parent_cpm", "vpc_mean", "vpc_lo", "vpc_hi")) {
            for (String value : List.of("NaN", "Infinity", "-Infinity")) {
                Map<String, String> r = results();
                r.put(field, value);
                assertThatThrownBy(() -> SnapshotRows.entry(row(r))).as("%s = %s", field, value)
                        .isInstanceOf(SnapshotValueException.class)
                        .hasMessage("cannot publish key '" + KEY + "': " + field + " = " + value + " is not a finite "
                                + "number (a snapshot holds finite numbers only; none is stored as empty)");
            }
        }
        Map<String, String> garbled = results();
        garbled.put("vpc_hi", "4o.0");
        assertThatThrownBy(() -> SnapshotRows.entry(row(garbled))).isInstanceOf(SnapshotValueException.class)
                .hasMessage("cannot publish key '" + KEY + "': vpc_hi = '4o.0' is not a number");
        Map<String, String> noWeight = results();
        noWeight.put("weight", "");
        assertThatThrownBy(() -> SnapshotRows.entry(row(noWeight)))
                .hasMessage("cannot publish key '" + KEY + "': its result has no weight");
    }

    @Test
    void parentsCarryTheirCountersAndThoseWithoutACpmAreLeftOut() {
        Counters counters = new Counters(5000, 40, 3, 15_000_000, 900_000);
        SnapshotEntry parent = SnapshotRows.parent("geo:MX", Map.of("cpm", "3000000.0", "counters", counters.encode()),
                99);
        assertThat(parent).isEqualTo(new SnapshotEntry(3_000_000.0, 0.0, 3_000_000.0, 3_000_000.0, null, null, null,
                false, Counters.ZERO, counters, 99));
        assertThat(SnapshotRows.parent("geo:JP", Map.of("cpm", "", "counters", new Counters(0, 4, 1, 0, 0).encode()),
                99)).isNull();
        assertThatThrownBy(() -> SnapshotRows.parent("geo:BR", Map.of("cpm", "NaN", "counters", counters.encode()), 99))
                .isInstanceOf(SnapshotValueException.class)
                .hasMessageStartingWith("cannot publish parent 'geo:BR': cpm = NaN is not a finite number");
    }

    @Test
    void aParentOfASegmentTheRuleDoesNotListIsRefused() {
        FallbackRule rule = FallbackRule.of(HazelcastCluster.KEY, List.of(List.of("device", "geo"), List.of()), 10);
        assertThat(rule.parentSegments()).containsExactly(List.of("geo", "device"), List.of());
        rule.requireSegmentOf("geo,device:MX|mobile");
        rule.requireSegmentOf("*");
        assertThatThrownBy(() -> rule.requireSegmentOf("os:ios")).isInstanceOf(SnapshotValueException.class)
                .hasMessageStartingWith("cannot publish parent 'os:ios': it is in no segment of rank.parents "
                        + "[[geo, device], []]");
        assertThatThrownBy(() -> rule.requireSegmentOf("geo:MX")).isInstanceOf(SnapshotValueException.class);
    }
}
