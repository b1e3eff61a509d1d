package adrank.udfs.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs of one ad's keys in a partition, and which of them may continue in a neighbouring partition. */
class KeyRunsTest {

    private static List<KeyRuns.Run<String>> runs(String... keys) {
        List<KeyRuns.Run<String>> out = new ArrayList<>();
        KeyRuns<String> runs = KeyRuns.of(Arrays.asList(keys).iterator(), k -> k, k -> k.substring(0, k.indexOf('|')));
        runs.forEachRemaining(out::add);
        return out;
    }

    @Test
    void theFirstAndTheLastRunOfAPartitionAreBoundaryRunsTheOthersAreWhole() {
        List<KeyRuns.Run<String>> runs = runs("a1|x", "a1|y", "a2|x", "a3|x", "a3|y", "a3|z", "a4|x", "a4|y");
        assertThat(runs).extracting(KeyRuns.Run::group).containsExactly("a1", "a2", "a3", "a4");
        assertThat(runs).extracting(KeyRuns.Run::boundary).containsExactly(true, false, false, true);
        assertThat(runs.get(2).items()).containsExactly("a3|x", "a3|y", "a3|z");
        assertThat(runs.get(3).items()).containsExactly("a4|x", "a4|y");
    }

    @Test
    void aPartitionOfOneAdIsOneBoundaryRunAndAnEmptyOneHasNone() {
        assertThat(runs("a1|x", "a1|y")).singleElement().satisfies(run -> {
            assertThat(run.boundary()).isTrue();
            assertThat(run.items()).containsExactly("a1|x", "a1|y");
        });
        assertThat(runs("a1|x")).singleElement().extracting(KeyRuns.Run::boundary).isEqualTo(true);
        assertThat(runs()).isEmpty();
        assertThat(runs("a1|x", "a2|x")).extracting(KeyRuns.Run::boundary).containsExactly(true, true);
    }

    @Test
    void anAdWhoseIdExtendsAnothersIsItsOwnRun() {
        // "ad1x" sorts before "ad1|" ('x' 0x78 < '|' 0x7C) and "ad1~" after: the keys of ad1 stay together
        assertThat(runs("ad1x|a", "ad1|a", "ad1|b", "ad1~|a", "ad2|a"))
                .extracting(KeyRuns.Run::group).containsExactly("ad1x", "ad1", "ad1~", "ad2");
    }

    @Test
    void aKeyOutOfOrderFailsInsteadOfSplittingAnAd() {
        KeyRuns<String> runs = KeyRuns.of(List.of("a1|x", "a2|x", "a1|y").iterator(), k -> k,
                k -> k.substring(0, 2));
        assertThat(runs.next().items()).containsExactly("a1|x");
        assertThatThrownBy(runs::next).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'a1|y' after 'a2|x'").hasMessageContaining("rank.parents-join = broadcast");
        Iterator<String> repeated = List.of("a1|x", "a1|x").iterator();
        assertThatThrownBy(() -> KeyRuns.of(repeated, k -> k, k -> "a1").next())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void codePointOrderIsTheOrderOfTheUtf8Bytes() {
        // U+FF5E (a BMP character above the surrogates) and U+1F600 (a surrogate pair in UTF-16):
        // String.compareTo puts the pair first, UTF-8 (and HBase) the BMP character
        String bmp = "\uFF5E";
        String astral = new String(Character.toChars(0x1F600));
        assertThat(bmp.compareTo(astral)).isPositive();
        assertThat(KeyRuns.compareCodePoints(bmp, astral)).isNegative();
        assertThat(compareBytes(bmp, astral)).isNegative();
        assertThat(KeyRuns.compareCodePoints("ab", "abc")).isNegative();
        assertThat(KeyRuns.compareCodePoints("abc", "ab")).isPositive();
        assertThat(KeyRuns.compareCodePoints("ab", "ab")).isZero();
    }

    private static int compareBytes(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
