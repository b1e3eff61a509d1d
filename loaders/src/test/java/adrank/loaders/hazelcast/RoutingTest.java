package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.experiment.UnitSplit;
import adrank.udfs.experiment.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTest {

    private static final List<String> DIMS = List.of("ad_id", "geo", "device");

    @Test
    void scopeParsesMatchesAndRejects() {
        assertThat(Scope.parse(null)).isEqualTo(Scope.ALL);
        assertThat(Scope.parse(" ")).isEqualTo(Scope.ALL);
        Scope mx = Scope.parse("geo=MX");
        assertThat(mx).isEqualTo(new Scope("geo", "MX"));
        assertThat(mx.text()).isEqualTo("geo=MX");
        assertThat(Scope.parse("geo=a=b").value()).isEqualTo("a=b");
        assertThat(mx.matches(DIMS, List.of("1", "MX", "mobile"))).isTrue();
        assertThat(mx.matches(DIMS, List.of("1", "US", "mobile"))).isFalse();
        assertThat(Scope.ALL.matches(DIMS, List.of("1", "US", "mobile"))).isTrue();
        assertThatThrownBy(() -> Scope.parse("geo")).hasMessageContaining("dim=value (e.g. geo=MX)");
        assertThatThrownBy(() -> Scope.parse("geo=")).hasMessageContaining("got 'geo='");
        assertThatThrownBy(() -> Scope.parse("=MX")).hasMessageContaining("got '=MX'");
        assertThatThrownBy(() -> mx.requireDimensionOf(List.of("ad_id"))).hasMessage(
                "scope dimension 'geo' is not one of key.dimensions [ad_id]");
    }

    private static VersionControl published(String schema, int... ready) {
        VersionControl control = VersionControl.empty(schema);
        for (int v : ready) {
            control = control.begin(v, HazelcastCluster.FALLBACK).commit(v, new LoadResult(1, v), LoadResult.ZERO, 10, v);
        }
        return control;
    }

    @Test
    void withoutAnExperimentEveryoneReadsTheActiveVersionWithNoVariant() {
        Routing routing = Routing.of(published("s", 1, 2, 3, 4), null);
        Routing.Target target = routing.target("anyone", () -> {
            throw new AssertionError("the key is not decoded without an experiment");
        });
        assertThat(target).isEqualTo(new Routing.Target("s", 4, false, null));
        assertThat(routing.live()).containsExactly("s/v4");
    }

    @Test
    void theExperimentAppliesToUnitsBelowTheShareAndKeysInTheScopeOnly() {
        VersionControl control = published("s", 1, 2, 3, 4, 5).activate(4, 6)
                .ab("mx", "", "", 5, 0.5, Scope.parse("geo=MX"), 7);
        Routing routing = Routing.of(control, null);
        String inB = firstUnit("mx", 0.5, true);
        String inA = firstUnit("mx", 0.5, false);
        assertThat(routing.target(inB, () -> true)).isEqualTo(new Routing.Target("s", 5, true,
                Variant.parse("mx:B:s:v5")));
        assertThat(routing.target(inA, () -> true)).isEqualTo(new Routing.Target("s", 4, false,
                Variant.parse("mx:A:s:v4")));
        assertThat(routing.target(inB, () -> false)).as("outside the scope: A, not in the experiment")
                .isEqualTo(new Routing.Target("s", 4, false, null));
        assertThat(routing.live()).containsExactlyInAnyOrder("s/v4", "s/v5");
    }

    @Test
    void bFromAnotherSchemaIsResolvedFromThatSchemasRecord() {
        VersionControl own = published("s", 1, 2).ab("exp", "", "other", 0, 1.0, Scope.ALL, 3);
        VersionControl other = published("other", 1, 2, 3);
        assertThat(Routing.of(own, null).b()).as("B unknown until the other record is read").isZero();
        assertThat(Routing.of(own, null).target("u", () -> true)).isEqualTo(new Routing.Target("s", 2, false, null));
        Routing routing = Routing.of(own, other);
        assertThat(routing.b()).isEqualTo(3);
        assertThat(routing.bFallback()).isEqualTo(HazelcastCluster.FALLBACK);
        assertThat(routing.target("u", () -> true)).isEqualTo(new Routing.Target("other", 3, true,
                Variant.parse("exp:B:other:v3")));
        assertThat(routing.live()).containsExactlyInAnyOrder("s/v2", "other/v3");
        VersionControl fixed = published("s", 1, 2).ab("exp", "", "other", 2, 1.0, Scope.ALL, 3);
        assertThat(Routing.of(fixed, other).target("u", () -> true).variant()).isEqualTo(
                Variant.parse("exp:B:other:v2"));
    }

    @Test
    void newerRevisionsAndReCreatedRecordsSupersede() {
        VersionControl current = published("s", 1, 2);
        VersionControl newer = current.activate(1, 100);
        assertThat(Routing.supersedes(newer, current)).isTrue();
        assertThat(Routing.supersedes(current, newer)).isFalse();
        assertThat(Routing.supersedes(current, current)).isFalse();
        VersionControl reCreated = VersionControl.empty("s").begin(500, HazelcastCluster.FALLBACK);
        assertThat(Routing.supersedes(reCreated, newer)).as("a re-created record starts over").isTrue();
        assertThat(Routing.supersedes(current, null)).isTrue();
    }

    private static String firstUnit(String salt, double share, boolean inB) {
        for (int u = 0;; u++) {
            if (UnitSplit.inB(salt, "u" + u, share) == inB) {
                return "u" + u;
            }
        }
    }
}
