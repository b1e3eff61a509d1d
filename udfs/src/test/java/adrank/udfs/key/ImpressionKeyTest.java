package adrank.udfs.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImpressionKeyTest {

    private final ImpressionKey codec = new ImpressionKey('|');

    @Test
    void plainComponentsAreJoinedBySeparator() {
        assertThat(codec.encode("ad1", "MX", "mobile")).isEqualTo("ad1|MX|mobile");
    }

    @Test
    void separatorWhitespaceControlAndEscapeAreEscaped() {
        assertThat(codec.encode("a|b", "Samsung Internet", "tab\there", "back\\slash", "nl\n", "nbsp\u00a0", "em\u2003"))
                .isEqualTo("a\\x7Cb|Samsung\\x20Internet|tab\\x09here|back\\x5Cslash|nl\\x0A|nbsp\\xA0|em\\u2003");
    }

    @Test
    void encodedKeyHasNoWhitespace() {
        assertThat(codec.encode("a b", "c\td", "e\r\nf")).doesNotContainPattern("\\s");
    }

    @Test
    void componentsThatWouldMergeStayDistinct() {
        // Without escaping, ("a|b","c") and ("a","b|c") would both become "a|b|c".
        String first = codec.encode("a|b", "c");
        String second = codec.encode("a", "b|c");
        assertThat(first).isNotEqualTo(second);
        assertThat(codec.decode(first)).containsExactly("a|b", "c");
        assertThat(codec.decode(second)).containsExactly("a", "b|c");
    }

    @Test
    void roundTripsTrickyComponents() {
        List<List<String>> cases = List.of(
                List.of("ad1", "MX", "mobile"),
                List.of("x\\x7C", "\\", "||", " "),
                List.of("", "only-empty-neighbours", ""),
                List.of("unicode é ü 東京", "\u0000\u001f\u007f"),
                List.of("\\x41"));
        Set<String> encoded = new HashSet<>();
        for (List<String> components : cases) {
            String key = codec.encode(components);
            assertThat(codec.decode(key)).as("round trip of %s", components).isEqualTo(components);
            encoded.add(key);
        }
        assertThat(encoded).hasSize(cases.size());
    }

    @Test
    void otherSeparatorsWork() {
        ImpressionKey semicolon = new ImpressionKey(';');
        assertThat(semicolon.encode("a;b", "c|d")).isEqualTo("a\\x3Bb;c|d");
        assertThat(semicolon.decode("a\\x3Bb;c|d")).containsExactly("a;b", "c|d");
    }

    @Test
    void rejectsUnusableSeparatorsAndBadEscapes() {
        assertThatThrownBy(() -> new ImpressionKey('\\')).hasMessageContaining("separator");
        assertThatThrownBy(() -> new ImpressionKey(' ')).hasMessageContaining("separator");
        assertThatThrownBy(() -> new ImpressionKey('a')).hasMessageContaining("separator");
        assertThatThrownBy(() -> codec.decode("ab\\q1")).hasMessageContaining("offset 2");
        assertThatThrownBy(() -> codec.decode("ab\\x4")).hasMessageContaining("malformed escape");
    }
}
