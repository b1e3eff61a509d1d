package adrank.udfs.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand: ln 2 = 0.6931471805599453, ln 1.5 = 0.4054651081081644. */
class MoversTest {

    @Test
    void scoreIsTheAbsoluteLogRatioTimesTheMeanImpressions() {
        // |ln(2e6 / 1e6)| * (100 + 300) / 2 = ln 2 * 200
        assertThat(Movers.score(1e6, 2e6, 100, 300)).isCloseTo(138.62943611198907, within(1e-9));
        assertThat(Movers.score(2e6, 1e6, 300, 100)).as("symmetric").isEqualTo(Movers.score(1e6, 2e6, 100, 300));
        assertThat(Movers.score(1e6, 1e6, 100, 100)).isZero();
        assertThatThrownBy(() -> Movers.score(0, 1, 1, 1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Movers.score(1, 1, -1, 1)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void topSegmentsByRevenueOrKeysEachWithItsTopMovers() {
        Movers m = new Movers(2);
        // geo:MX, 3 keys, revenue 10 + 10 + 50 + 50 + 1 + 1 = 122
        m.add("geo:MX", "k1", 1e6, 2e6, 100, 100, 10, 10);      // ln 2 * 100 = 69.3
        m.add("geo:MX", "k2", 1e6, 1.5e6, 1000, 1000, 50, 50);  // ln 1.5 * 1000 = 405.5
        m.add("geo:MX", "k3", 3e6, 3e6, 5000, 5000, 1, 1);      // unchanged: volume only
        // geo:US, 4 keys, revenue 2 * 4 * 1 = 8
        m.add("geo:US", "k4", 4e6, 1e6, 10, 10, 1, 1);          // ln 4 * 10 = 13.9
        m.add("geo:US", "k5", 0.0, 1e6, 10, 10, 1, 1);          // rank 0 on A: not a mover
        m.add("geo:US", "k6", null, 1e6, 10, 10, 1, 1);         // no rank on A: not a mover
        m.add("geo:US", "k7", 1e6, 1.1e6, 10, 20, 1, 1);        // ln 1.1 * 15 = 1.43
        // geo:BR, 1 key, revenue 0
        m.add("geo:BR", "k8", 1e6, 8e6, 1, 1, 0, 0);
        assertThat(m.segments()).isEqualTo(3);

        List<Movers.Segment> byRevenue = m.top(2, Movers.Order.REVENUE);
        assertThat(byRevenue).extracting(Movers.Segment::segment).containsExactly("geo:MX", "geo:US");
        Movers.Segment mx = byRevenue.get(0);
        assertThat(mx.keys()).isEqualTo(3);
        assertThat(mx.impressionsA()).isEqualTo(6100);
        assertThat(mx.revenueA()).isEqualTo(61);
        assertThat(mx.movers()).extracting(Movers.Mover::key).containsExactly("k2", "k1");
        assertThat(mx.movers().get(0).score()).isCloseTo(405.4651081081644, within(1e-9));
        assertThat(mx.movers().get(0).ratio()).isCloseTo(1.5, within(1e-15));
        assertThat(mx.movers().get(1).impressions()).isEqualTo(100.0);
        assertThat(byRevenue.get(1).movers()).extracting(Movers.Mover::key).containsExactly("k4", "k7");

        assertThat(m.top(5, Movers.Order.KEYS)).extracting(Movers.Segment::segment)
                .containsExactly("geo:US", "geo:MX", "geo:BR");
        assertThat(m.top(0, Movers.Order.KEYS)).isEmpty();
        assertThatThrownBy(() -> m.add("geo:MX", "k9", 1.0, 1.0, -1, 0, 0, 0))
                .isInstanceOf(InvalidInputException.class);
    }
}
