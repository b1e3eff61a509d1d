package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void withoutASplitEveryoneReadsTheActiveVersion() {
        Routing routing = new Routing(4, 0, 0.0, Scope.ALL, 1, 1);
        assertThat(routing.version("anyone", () -> {
            throw new AssertionError("the key is not decoded without a split");
        })).isEqualTo(4);
        assertThat(routing.live()).containsExactly(4);
    }

    @Test
    void theSplitAppliesToUnitsBelowTheShareAndKeysInTheScopeOnly() {
        Routing routing = new Routing(4, 5, 0.5, Scope.parse("geo=MX"), 1, 1);
        String inB = firstUnit(5, 0.5, true);
        String inA = firstUnit(5, 0.5, false);
        assertThat(routing.version(inB, () -> true)).isEqualTo(5);
        assertThat(routing.version(inB, () -> false)).isEqualTo(4);
        assertThat(routing.version(inA, () -> {
            throw new AssertionError("the key is only decoded for units that may go to B");
        })).isEqualTo(4);
        assertThat(new Routing(4, 5, 0.5, Scope.ALL, 1, 1).version(inB, () -> false)).isEqualTo(5);
        assertThat(routing.live()).containsExactlyInAnyOrder(4, 5);
    }

    @Test
    void newerRevisionsAndReCreatedRecordsSupersede() {
        Routing current = new Routing(4, 0, 0.0, Scope.ALL, 100, 7);
        assertThat(current.supersededBy(new Routing(5, 0, 0.0, Scope.ALL, 100, 8))).isTrue();
        assertThat(current.supersededBy(new Routing(3, 0, 0.0, Scope.ALL, 100, 6))).isFalse();
        assertThat(current.supersededBy(new Routing(3, 0, 0.0, Scope.ALL, 100, 7))).isFalse();
        assertThat(current.supersededBy(new Routing(1, 0, 0.0, Scope.ALL, 200, 2))).isTrue();
        assertThat(Routing.NONE.supersededBy(new Routing(1, 0, 0.0, Scope.ALL, 200, 2))).isTrue();
    }

    private static String firstUnit(int b, double share, boolean inB) {
        for (int u = 0;; u++) {
            if (TrafficSplit.inB("u" + u, b, share) == inB) {
                return "u" + u;
            }
        }
    }
}
