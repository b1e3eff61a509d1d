package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.stats.Counters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class SnapshotEntryTest {

    private static final SnapshotEntry BASE = new SnapshotEntry(1, 0.5, 2.0, 3, 4.0, 5.0, 6.0, false,
            new Counters(1, 2, 3, 4, 5), new Counters(6, 7, 8, 9, 10), 11);

    @Test
    void theChecksumCoversTheKeyAndEveryField() {
        List<UnaryOperator<SnapshotEntry>> changes = List.of(
                e -> new SnapshotEntry(9, e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(), e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), 0.6, e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(), e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), null, e.parentCpm(), e.vpcMean(), e.vpcLo(),
                        e.vpcHi(), e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), null, e.vpcLo(), e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), null, e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(), null,
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), 9, e.vpcMean(), e.vpcLo(), e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), 9.0, e.vpcLo(), e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), 9.0, e.vpcHi(),
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(), 9.0,
                        e.driftFlagged(), e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(),
                        e.vpcHi(), true, e.today(), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(),
                        e.vpcHi(), e.driftFlagged(), new Counters(1, 2, 3, 4, 6), e.total(), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(),
                        e.vpcHi(), e.driftFlagged(), e.today(), new Counters(7, 6, 8, 9, 10), e.computedAt()),
                e -> new SnapshotEntry(e.rank(), e.weight(), e.cpm(), e.parentCpm(), e.vpcMean(), e.vpcLo(),
                        e.vpcHi(), e.driftFlagged(), e.today(), e.total(), 12));
        Set<Long> checksums = new HashSet<>();
        checksums.add(BASE.checksum("k"));
        checksums.add(BASE.checksum("k2"));
        for (UnaryOperator<SnapshotEntry> change : changes) {
            checksums.add(change.apply(BASE).checksum("k"));
        }
        assertThat(checksums).hasSize(changes.size() + 2);
        assertThat(BASE.checksum("k")).isEqualTo(BASE.checksum("k"));
    }

    @Test
    void absenceHashesUnlikeAnyValueAndEveryFieldKeepsItsPlace() {
        Set<Long> checksums = new HashSet<>();
        for (Double cpm : new Double[] {null, 0.0, -0.0, 1.0, Double.MIN_VALUE}) {
            checksums.add(new SnapshotEntry(1, 0.5, cpm, 3, null, null, null, false, Counters.ZERO, Counters.ZERO, 0)
                    .checksum("k"));
        }
        assertThat(checksums).hasSize(5);
        // an absent value in one field is not the same entry as an absent value in the next one
        SnapshotEntry noMean = new SnapshotEntry(1, 0.5, 2.0, 3, null, 5.0, 6.0, false, Counters.ZERO, Counters.ZERO, 0);
        SnapshotEntry noLo = new SnapshotEntry(1, 0.5, 2.0, 3, 5.0, null, 6.0, false, Counters.ZERO, Counters.ZERO, 0);
        assertThat(noMean.checksum("k")).isNotEqualTo(noLo.checksum("k"));
    }

    @Test
    void nanAndInfinitiesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new SnapshotEntry(Double.NaN, 0.5, null, 3, null, null, null, false, Counters.ZERO,
                Counters.ZERO, 0)).isInstanceOf(SnapshotValueException.class)
                .hasMessage("snapshot entry field rank = NaN is not a finite number (a snapshot holds finite numbers "
                        + "only; none is null)");
        assertThatThrownBy(() -> new SnapshotEntry(1, 0.5, null, 3, null, null, Double.POSITIVE_INFINITY, false,
                Counters.ZERO, Counters.ZERO, 0)).isInstanceOf(SnapshotValueException.class)
                .hasMessageContaining("vpcHi = Infinity");
        assertThatThrownBy(() -> new SnapshotEntry(1, 0.5, Double.NEGATIVE_INFINITY, 3, null, null, null, false,
                Counters.ZERO, Counters.ZERO, 0)).hasMessageContaining("cpm = -Infinity");
    }

    @Test
    void loadResultsAddUpInAnyOrder() {
        LoadResult a = LoadResult.of("a", BASE);
        LoadResult b = LoadResult.of("b", BASE);
        assertThat(a.plus(b)).isEqualTo(b.plus(a));
        assertThat(a.plus(b).count()).isEqualTo(2);
        assertThat(LoadResult.ZERO.plus(a)).isEqualTo(a);
        assertThat(new LoadResult(3, 0xffL).toString()).isEqualTo("3 entries, checksum 00000000000000ff");
    }

    @Test
    void aMismatchNamesWhatDiffers() {
        LoadResult ok = new LoadResult(5, 1);
        assertThat(SnapshotPublisher.mismatch(ok, ok, LoadResult.ZERO, LoadResult.ZERO)).isEmpty();
        assertThat(SnapshotPublisher.mismatch(ok, new LoadResult(4, 1), LoadResult.ZERO, new LoadResult(1, 2)))
                .isEqualTo("entries: loaders reported 5 entries, checksum 0000000000000001, the map holds 4 entries, "
                        + "checksum 0000000000000001; parents: loaders reported 0 entries, checksum 0000000000000000, "
                        + "the map holds 1 entries, checksum 0000000000000002");
    }

    @Test
    void mapNamesAndOrphans() {
        assertThat(SnapshotMaps.entries("s", 3)).isEqualTo("rank.s.v3");
        assertThat(SnapshotMaps.parents("s", 3)).isEqualTo("rank.s.parents.v3");
        assertThat(SnapshotMaps.versionOf("s", "rank.s.v3")).hasValue(3);
        assertThat(SnapshotMaps.versionOf("s", "rank.s.parents.v12")).hasValue(12);
        assertThat(SnapshotMaps.versionOf("s", "rank.s2.v3")).isEmpty();
        assertThat(SnapshotMaps.versionOf("s", "rank.versions")).isEmpty();
        assertThat(SnapshotMaps.orphans("s", List.of("rank.s.v1", "rank.s.parents.v1", "rank.s.v2", "rank.t.v1",
                "rank.versions", "rank.s.parents.v3"), v -> v == 2))
                .containsExactly("rank.s.parents.v1", "rank.s.parents.v3", "rank.s.v1");
    }
}
