package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionControlTest {

    private static final LoadResult ENTRIES = new LoadResult(10, 0xabcL);
    private static final LoadResult PARENTS = new LoadResult(2, 0xdefL);

    /** n versions published one after the other, with retention {@code retain}. */
    private static VersionControl published(int n, int retain) {
        VersionControl control = VersionControl.empty("s");
        for (int i = 0; i < n; i++) {
            int version = control.nextVersion();
            control = control.begin(100 + i).commit(version, ENTRIES, PARENTS, retain, 200 + i);
        }
        return control;
    }

    @Test
    void beginAllocatesALoadingVersionAndDropsKilledAndFailedOnes() {
        VersionControl first = VersionControl.empty("s").begin(100);
        assertThat(first.createdAt()).isEqualTo(100);
        assertThat(first.version(1).orElseThrow()).isEqualTo(VersionInfo.loading(1, 100));
        assertThat(first.nextVersion()).isEqualTo(2);
        assertThat(first.active()).isZero();

        VersionControl killed = first.begin(150);
        assertThat(killed.version(1)).isEmpty();
        assertThat(killed.inState(VersionState.LOADING)).containsExactly(2);
        assertThat(killed.createdAt()).isEqualTo(100);
        assertThat(new Change(first, killed).dropped()).containsExactly(1);

        VersionControl failed = killed.fail(2, "boom", 160);
        assertThat(failed.version(2).orElseThrow().state()).isEqualTo(VersionState.FAILED);
        assertThat(failed.version(2).orElseThrow().note()).isEqualTo("boom");
        assertThat(failed.begin(170).version(2)).isEmpty();
    }

    @Test
    void commitActivatesAndStacksThePreviousActive() {
        VersionControl control = published(3, 5);
        assertThat(control.active()).isEqualTo(3);
        assertThat(control.previous()).containsExactly(2, 1);
        VersionInfo v3 = control.version(3).orElseThrow();
        assertThat(v3.state()).isEqualTo(VersionState.READY);
        assertThat(v3.entries()).isEqualTo(10);
        assertThat(v3.checksum()).isEqualTo(0xabcL);
        assertThat(v3.parentEntries()).isEqualTo(2);
        assertThat(v3.readyAt()).isEqualTo(202);
        assertThat(control.rows()).extracting(row -> row.info().version() + " " + row.role())
                .containsExactly("3 active", "2 previous", "1 previous");
    }

    @Test
    void onlyALoadingVersionCanBeCommittedOrFailed() {
        VersionControl control = published(1, 3);
        assertThatThrownBy(() -> control.commit(1, ENTRIES, PARENTS, 3, 1))
                .isInstanceOf(VersionControlException.class)
                .hasMessage("schema s: v1 is READY, not LOADING; cannot commit it");
        assertThatThrownBy(() -> control.fail(9, "x", 1))
                .hasMessage("schema s has no version 9 (known: v1 READY); cannot mark it failed");
    }

    @Test
    void retentionKeepsTheActiveTheNewestAndTheBVersion() {
        VersionControl control = published(4, 2);
        assertThat(control.versions()).extracting(VersionInfo::version).containsExactly(3, 4);
        assertThat(control.previous()).containsExactly(3);

        // B is kept even when it is older than what retention would keep
        VersionControl four = published(4, 10).ab(1, 0.1, Scope.ALL, 1);
        assertThat(VersionControl.beyondRetention(four, 2)).containsExactly(2);
        assertThat(VersionControl.beyondRetention(four, 1)).containsExactlyInAnyOrder(2, 3);
        // after a rollback the active version is older than the newest; it is kept all the same
        VersionControl rolledBack = published(4, 10).rollback(2);
        assertThat(rolledBack.active()).isEqualTo(3);
        assertThat(VersionControl.beyondRetention(rolledBack, 2)).containsExactlyInAnyOrder(1, 2);
        assertThatThrownBy(() -> VersionControl.beyondRetention(rolledBack, 0)).hasMessageContaining("at least 1");
    }

    @Test
    void activateRollbackAndTheirRefusals() {
        VersionControl control = published(3, 5);
        VersionControl activated = control.activate(1, 10);
        assertThat(activated.active()).isEqualTo(1);
        assertThat(activated.previous()).containsExactly(3, 2);
        assertThat(activated.activate(1, 11)).isSameAs(activated);

        VersionControl rolledBack = activated.rollback(12);
        assertThat(rolledBack.active()).isEqualTo(3);
        assertThat(rolledBack.previous()).containsExactly(2);
        assertThat(rolledBack.rollback(13).active()).isEqualTo(2);
        assertThatThrownBy(() -> rolledBack.rollback(13).rollback(14))
                .hasMessage("schema s: no previous version to roll back to (active v2)");
        assertThatThrownBy(() -> control.activate(7, 1)).hasMessageContaining("has no version 7");
        VersionControl loading = control.begin(20);
        assertThatThrownBy(() -> loading.activate(4, 21)).hasMessage(
                "schema s: v4 is LOADING, not READY; cannot activate it");
    }

    @Test
    void abSplitsAreValidatedAndEndWhenBIsPromoted() {
        VersionControl control = published(3, 5);
        VersionControl split = control.ab(2, 0.25, Scope.parse("geo=MX"), 10);
        assertThat(split.bVersion()).isEqualTo(2);
        assertThat(split.bShare()).isEqualTo(0.25);
        assertThat(split.bScope()).isEqualTo("geo=MX");
        assertThat(split.role(2)).isEqualTo("B");
        assertThat(split.ab(2, 0.25, Scope.parse("geo=MX"), 11)).isSameAs(split);

        assertThatThrownBy(() -> control.ab(3, 0.5, Scope.ALL, 1)).hasMessage(
                "schema s: v3 is already active; B must differ");
        assertThatThrownBy(() -> control.ab(2, 0.0, Scope.ALL, 1)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> control.ab(2, 1.5, Scope.ALL, 1)).hasMessageContaining("(0, 1]");

        VersionControl promoted = split.activate(2, 12);
        assertThat(promoted.active()).isEqualTo(2);
        assertThat(promoted.bVersion()).isZero();
        assertThat(promoted.bScope()).isEmpty();

        assertThat(split.abClear(13).bVersion()).isZero();
        assertThat(control.abClear(13)).isSameAs(control);
    }

    @Test
    void everyChangeBumpsTheRevisionAndIsDescribed() {
        VersionControl control = published(2, 5);
        VersionControl split = control.ab(1, 0.125, Scope.ALL, 10);
        assertThat(split.revision()).isEqualTo(control.revision() + 1);
        Change change = new Change(control, split);
        assertThat(change.changed()).isTrue();
        assertThat(change.lines()).containsExactly("s: no experiment -> experiment s-v1: B = v1 for 12.5% of units (all keys)");

        Change commit = new Change(control, control.begin(20).commit(3, ENTRIES, PARENTS, 2, 21));
        assertThat(commit.lines()).containsExactly(
                "s: active v2 -> v3",
                "s: rollback targets [v1] -> [v2]",
                "s: v1 dropped (was READY, maps destroyed)",
                "s: v3 READY (10 entries, checksum 0000000000000abc; 2 parents)");
        VersionControl loading = control.begin(20);
        assertThat(new Change(loading, loading.commit(3, ENTRIES, PARENTS, 5, 21)).lines()).contains(
                "s: v3 LOADING -> READY (10 entries, checksum 0000000000000abc; 2 parents)");
        assertThat(new Change(control, control).lines()).isEmpty();
        assertThat(new Change(control, control).changed()).isFalse();
    }
}
