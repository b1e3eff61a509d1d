package adrank.udfs.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers by hand: the 3 largest of 3 1 4 1 5 9 2 6 are 9 6 5. */
class TopKTest {

    @Test
    void keepsTheKLargestBestFirst() {
        TopK<String> top = new TopK<>(3);
        double[] scores = {3, 1, 4, 1, 5, 9, 2, 6};
        for (int i = 0; i < scores.length; i++) {
            top.offer(scores[i], String.valueOf((char) ('a' + i)), "item" + i);
        }
        assertThat(top.size()).isEqualTo(3);
        assertThat(top.best()).extracting(TopK.Scored::score).containsExactly(9.0, 6.0, 5.0);
        assertThat(top.best()).extracting(TopK.Scored::id).containsExactly("f", "h", "e");
        assertThat(top.best()).extracting(TopK.Scored::item).containsExactly("item5", "item7", "item4");
    }

    @Test
    void tiesGoToTheSmallerIdWhateverTheOrder() {
        for (List<String> order : List.of(List.of("z", "a", "m"), List.of("a", "m", "z"), List.of("m", "z", "a"))) {
            TopK<String> top = new TopK<>(2);
            order.forEach(id -> top.offer(1.0, id, id));
            assertThat(top.best()).extracting(TopK.Scored::id).as("offered %s", order).containsExactly("a", "m");
        }
    }

    @Test
    void zeroKeepsNothingAndBadInputIsRefused() {
        TopK<String> none = new TopK<>(0);
        assertThat(none.offer(5, "a", "a")).isFalse();
        assertThat(none.best()).isEmpty();
        assertThatThrownBy(() -> new TopK<String>(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopK<String>(1).offer(Double.NaN, "a", "a"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
