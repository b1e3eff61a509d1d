package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure transitions of staging, pins, named experiments and holds ({@link VersionControl}). */
class StagedPinnedExperimentTest {

    private static final LoadResult ENTRIES = new LoadResult(10, 0xabcL);
    private static final LoadResult PARENTS = new LoadResult(2, 0xdefL);
    private static final int RETAIN = 3;

    /** One scheduled publish (begin + commit) at time {@code t}. */
    private static VersionControl publish(VersionControl control, long t) {
        return publish(control, t, false);
    }

    private static VersionControl publish(VersionControl control, long t, boolean stage) {
        int version = control.nextVersion();
        return control.begin(t).commit(version, ENTRIES, PARENTS, RETAIN, stage, t + 1);
    }

    private static VersionControl published(String schema, int n) {
        VersionControl control = VersionControl.empty(schema);
        for (int i = 0; i < n; i++) {
            control = publish(control, 100 + 10 * i);
        }
        return control;
    }

    @Test
    void aStagedVersionIsReadyNotActiveAndActivateStopsItBeingStaged() {
        VersionControl staged = publish(published("s", 2), 500, true);
        assertThat(staged.active()).isEqualTo(2);
        assertThat(staged.version(3).orElseThrow().state()).isEqualTo(VersionState.READY);
        assertThat(staged.staged()).containsExactly(3);
        assertThat(staged.role(3)).isEqualTo("staged");
        assertThat(staged.whyNotActive(staged.version(3).orElseThrow()))
                .isEqualTo("not active: staged by publish --stage; `versions activate 3` promotes it");

        VersionControl unstaged = staged.unstage(3, 550);
        assertThat(unstaged.staged()).isEmpty();
        assertThat(unstaged.version(3).orElseThrow().state()).isEqualTo(VersionState.READY);
        assertThat(VersionControl.beyondRetention(unstaged, 1)).as("an ordinary version for retention again")
                .containsExactlyInAnyOrder(1, 3);
        assertThatThrownBy(() -> unstaged.unstage(3, 560)).isInstanceOf(VersionControlException.class)
                .hasMessage("schema s: v3 is not staged (staged: none)");

        VersionControl promoted = staged.activate(3, 600);
        assertThat(promoted.active()).isEqualTo(3);
        assertThat(promoted.previous()).containsExactly(2, 1);
        assertThat(promoted.staged()).isEmpty();
        assertThat(promoted.whyNotActive(promoted.version(3).orElseThrow())).isEmpty();
    }

    @Test
    void rollbackPinsAndAPublishWhilePinnedLoadsButDoesNotActivate() {
        VersionControl rolledBack = published("s", 3).rollback(700);
        assertThat(rolledBack.active()).isEqualTo(2);
        assertThat(rolledBack.pinned()).isTrue();
        assertThat(rolledBack.pinnedBy()).isEqualTo("rollback");
        assertThat(rolledBack.pinReason()).isEqualTo("rolled back from v3 to v2");
        assertThat(rolledBack.pinnedAt()).isEqualTo(700);

        VersionControl hourly = publish(rolledBack, 3_600_000);
        assertThat(hourly.active()).as("the scheduled publish does not undo the rollback").isEqualTo(2);
        assertThat(hourly.version(4).orElseThrow().state()).isEqualTo(VersionState.READY);
        assertThat(hourly.role(4)).isEmpty();
        assertThat(hourly.whyNotActive(hourly.version(4).orElseThrow()))
                .isEqualTo("not active: schema pinned since 1970-01-01T00:00:00.700Z by rollback "
                        + "(rolled back from v3 to v2)");

        VersionControl unpinned = hourly.unpin(3_700_000);
        assertThat(unpinned.active()).as("unpin switches nothing by itself").isEqualTo(2);
        assertThat(unpinned.pinned()).isFalse();
        assertThat(unpinned.whyNotActive(unpinned.version(4).orElseThrow())).startsWith(
                "not active: loaded while the schema was pinned");
        VersionControl next = publish(unpinned, 7_200_000);
        assertThat(next.active()).as("the next publish after unpin activates").isEqualTo(5);
        // retention (3) keeps the new active and the two newest others
        assertThat(next.inState(VersionState.READY)).containsExactly(3, 4, 5);
    }

    @Test
    void anExplicitPinKeepsItsAuthorAndAnActivateWhilePinnedKeepsThePin() {
        VersionControl pinned = published("s", 2).pin("ana", "incident 42", 300);
        assertThat(pinned.pinnedBy()).isEqualTo("ana");
        assertThat(pinned.pin("ana", "incident 42", 400)).isSameAs(pinned);
        VersionControl loaded = publish(pinned, 500);
        assertThat(loaded.active()).isEqualTo(2);
        VersionControl chosen = loaded.activate(3, 600);
        assertThat(chosen.active()).isEqualTo(3);
        assertThat(chosen.pinned()).as("the operator chose; scheduled publishes still wait").isTrue();
        assertThat(publish(chosen, 700).active()).isEqualTo(3);
        VersionControl alreadyPinned = chosen.rollback(800);
        assertThat(alreadyPinned.pinnedBy()).as("a rollback keeps an existing pin").isEqualTo("ana");
        assertThatThrownBy(() -> pinned.pin(" ", "", 1)).isInstanceOf(VersionControlException.class);
        assertThat(published("s", 1).unpin(5)).as("unpin when not pinned changes nothing").isNotNull()
                .matches(c -> !c.pinned());
    }

    @Test
    void retentionNeverDropsActivePinnedBStagedOrHeldVersions() {
        // v1..v3, B = v1, staged v4, v2 held by another schema, then pinned at v3 and 6 more publishes
        VersionControl control = published("s", 3).ab("exp", "", "", 1, 0.5, Scope.ALL, 400);
        control = publish(control, 500, true);
        control = control.hold("other", 2, 600).pin("ana", "", 700);
        for (int i = 0; i < 6; i++) {
            control = publish(control, 1000 + 10 * i);
        }
        // retain 3: active v3 + the two newest (v10, v9), plus B v1, staged v4, held v2
        assertThat(control.active()).isEqualTo(3);
        assertThat(control.inState(VersionState.READY)).containsExactly(1, 2, 3, 4, 9, 10);
        assertThat(control.role(1)).isEqualTo("B");
        assertThat(control.role(2)).isEqualTo("held");
        assertThat(control.role(4)).isEqualTo("staged");
        assertThat(control.whyNotActive(control.version(2).orElseThrow()))
                .isEqualTo("not active: B of schema other's experiment; rollback target");

        VersionControl released = control.release("other", 2000).abClear(2001);
        VersionControl after = publish(released, 3000);
        // v1 and v2 are no longer protected and fall out; the staged v4 stays until activated
        assertThat(after.inState(VersionState.READY)).containsExactly(3, 4, 10, 11);
    }

    @Test
    void aHoldNeedsAReadyVersionAndOneHoldPerHoldingSchema() {
        VersionControl control = published("s", 3);
        assertThatThrownBy(() -> control.hold("a", 9, 1)).isInstanceOf(VersionControlException.class)
                .hasMessageContaining("has no version 9");
        VersionControl held = control.hold("a", 1, 2).hold("b", 1, 3).hold("a", 2, 4);
        assertThat(held.holds()).containsExactly("a=2", "b=1");
        assertThat(held.heldVersions()).containsExactly(1, 2);
        assertThat(held.release("a", 5).holds()).containsExactly("b=1");
        assertThat(held.release("zzz", 5)).isSameAs(held);
    }

    @Test
    void anExperimentKeepsItsNameAndSaltAcrossBRefreshesAndShareChanges() {
        VersionControl control = published("s", 4).activate(2, 500);
        VersionControl started = control.ab("mx-cpm", "", "", 3, 0.1, Scope.parse("geo=MX"), 600);
        // what `rank abtest report` takes as the design share when none is given
        assertThat(started.shareOf("mx-cpm")).hasValue(0.1);
        assertThat(started.shareOf("other")).isEmpty();
        assertThat(control.shareOf("mx-cpm")).isEmpty();
        assertThat(started.experiment()).isEqualTo("mx-cpm");
        assertThat(started.salt()).as("the salt defaults to the name").isEqualTo("mx-cpm");
        VersionControl raised = started.ab("", "", "", 4, 0.5, Scope.parse("geo=MX"), 700);
        assertThat(raised.experiment()).isEqualTo("mx-cpm");
        assertThat(raised.salt()).isEqualTo("mx-cpm");
        assertThat(raised.bVersion()).isEqualTo(4);
        assertThatThrownBy(() -> raised.ab("mx-cpm", "other-salt", "", 4, 0.5, Scope.ALL, 800))
                .isInstanceOf(VersionControlException.class).hasMessageContaining("would move units between arms");
        VersionControl renamed = raised.ab("mx-cpm-2", "", "", 4, 0.5, Scope.ALL, 900);
        assertThat(renamed.salt()).as("a new experiment draws a new group").isEqualTo("mx-cpm-2");
        assertThat(raised.abClear(1000).hasExperiment()).isFalse();
        assertThat(control.ab("", "", "", 3, 0.5, Scope.ALL, 1).experiment()).as("default name of a new one")
                .isEqualTo("s-v3");
        assertThatThrownBy(() -> control.ab("bad name!", "", "", 3, 0.5, Scope.ALL, 1))
                .isInstanceOf(VersionControlException.class).hasMessageContaining("experiment name must match");
    }

    @Test
    void bFromAnotherSchemaIsFixedOrFollowsAndIsNotThisSchemasVersion() {
        VersionControl control = published("s", 2);
        VersionControl follows = control.ab("bf", "", "exp_mx", 0, 0.5, Scope.ALL, 300);
        assertThat(follows.bFollows()).isTrue();
        assertThat(follows.bSchemaName()).isEqualTo("exp_mx");
        assertThat(follows.ownB()).isZero();
        assertThat(follows.role(1)).as("v1 of this schema is not B").isEqualTo("previous");
        VersionControl fixed = control.ab("bf", "", "exp_mx", 7, 0.5, Scope.ALL, 300);
        assertThat(fixed.bFollows()).isFalse();
        assertThat(fixed.bVersion()).as("another schema's v7 need not exist here").isEqualTo(7);
        assertThat(control.ab("bf", "", "s", 1, 0.5, Scope.ALL, 300).bSchema())
                .as("naming this schema is the same as naming none").isEmpty();
        assertThat(control.ab("", "", "exp_mx", 0, 0.5, Scope.ALL, 300).experiment())
                .as("default name when B follows another schema").isEqualTo("s-exp_mx");
        assertThatThrownBy(() -> control.ab("bf", "", "", 0, 0.5, Scope.ALL, 300))
                .isInstanceOf(VersionControlException.class).hasMessageContaining("B needs a version");
    }

    @Test
    void aRecordWrittenBeforeExperimentsHadNamesReadsAsANamedExperiment() {
        VersionControl old = new VersionControl("s", 1, 2, List.of(1), 3, 0.25, "geo=MX", 4, 9, 10, List.of());
        assertThat(old.experiment()).isEqualTo("s-v3");
        assertThat(old.salt()).isEqualTo("s-v3");
        assertThat(old.bSchema()).isEmpty();
        assertThat(old.pinned()).isFalse();
        assertThat(old.staged()).isEmpty();
        assertThat(old.holds()).isEmpty();
    }
}
