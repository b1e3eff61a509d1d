package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Version references as `rank compare` takes them, resolved against control records built by hand. */
class VersionRefTest {

    private static final LoadResult ENTRIES = new LoadResult(10, 0xabcL);
    private static final LoadResult PARENTS = new LoadResult(2, 0xdefL);

    @Test
    void numbersAndRolesParse() {
        assertThat(VersionRef.parse("3")).isEqualTo(new VersionRef(3, null));
        assertThat(VersionRef.parse("v12")).isEqualTo(new VersionRef(12, null));
        assertThat(VersionRef.parse("ACTIVE")).isEqualTo(new VersionRef(0, "active"));
        assertThat(VersionRef.parse("previous").toString()).isEqualTo("previous");
        assertThat(VersionRef.parse("B").role()).isEqualTo("b");
        for (String bad : new String[] {"0", "v0", "-1", "x", "", "1.5", "1234567890", "v"}) {
            assertThatThrownBy(() -> VersionRef.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a version");
        }
    }

    @Test
    void rolesResolveAgainstTheControlRecord() {
        // v1, v2, v3 published in turn (v3 active, v2 then v1 rollback targets), then B = v1 for 10 %
        VersionControl control = VersionControl.empty("s");
        for (int i = 0; i < 3; i++) {
            int version = control.nextVersion();
            control = control.begin(100 + i).commit(version, ENTRIES, PARENTS, 5, 200 + i);
        }
        control = control.ab(1, 0.1, Scope.parse(""), 300);
        assertThat(VersionRef.parse("active").resolve(control)).isEqualTo(3);
        assertThat(VersionRef.parse("previous").resolve(control)).isEqualTo(2);
        assertThat(VersionRef.parse("b").resolve(control)).isEqualTo(1);
        assertThat(VersionRef.parse("2").resolve(control)).isEqualTo(2);
        VersionControl c = control;
        assertThatThrownBy(() -> VersionRef.parse("7").resolve(c)).isInstanceOf(VersionControlException.class)
                .hasMessage("schema s has no version 7 (known: v1 READY B, v2 READY previous, v3 READY active)");

        VersionControl loading = control.abClear(400).begin(500);
        assertThatThrownBy(() -> VersionRef.parse("b").resolve(loading)).isInstanceOf(VersionControlException.class)
                .hasMessageStartingWith("schema s has no B (no A/B split) version");
        assertThatThrownBy(() -> VersionRef.parse("4").resolve(loading)).isInstanceOf(VersionControlException.class)
                .hasMessageContaining("v4 is LOADING, not READY");
        assertThatThrownBy(() -> VersionRef.parse("active").resolve(VersionControl.empty("t")))
                .isInstanceOf(VersionControlException.class)
                .hasMessage("schema t has no active version (no versions; was it ever published?)");
    }
}
