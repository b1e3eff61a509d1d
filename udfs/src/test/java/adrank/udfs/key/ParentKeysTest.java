package adrank.udfs.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParentKeysTest {

    private final ParentKeys keys = new ParentKeys(List.of("ad_id", "geo", "device", "os", "browser", "connection"),
            '|');

    @Test
    void theDocumentedFormat() {
        String key = "42|MX|mobile|ios|safari|wifi";
        assertThat(keys.of(key, List.of("ad_id", "geo", "device"))).isEqualTo("ad_id,geo,device:42|MX|mobile");
        assertThat(keys.of(key, List.of("ad_id", "geo"))).isEqualTo("ad_id,geo:42|MX");
        assertThat(keys.of(key, List.of("geo", "device"))).isEqualTo("geo,device:MX|mobile");
        assertThat(keys.of(key, List.of())).isEqualTo("*");
    }

    @Test
    void segmentOrderDoesNotMatterAndLookAlikeValuesStayApart() {
        String key = "42|MX|mobile|MX|safari|wifi";
        assertThat(keys.of(key, List.of("geo", "ad_id"))).isEqualTo(keys.of(key, List.of("ad_id", "geo")));
        assertThat(keys.of(key, List.of("geo"))).isEqualTo("geo:MX");
        assertThat(keys.of(key, List.of("os"))).isEqualTo("os:MX");
    }

    @Test
    void componentsAreEscapedLikeImpressionKeys() {
        List<String> components = List.of("4|2", "M X", "mobile", "ios", "safari", "wifi");
        assertThat(keys.of(components, List.of("ad_id", "geo"))).isEqualTo("ad_id,geo:4\\x7C2|M\\x20X");
        assertThat(keys.of(components, List.of("ad_id", "geo")))
                .isEqualTo(keys.of("4\\x7C2|M\\x20X|mobile|ios|safari|wifi", List.of("ad_id", "geo")));
    }

    @Test
    void badKeysAndSegmentsAreRefusedClearly() {
        assertThatThrownBy(() -> keys.of("42|MX", List.of("geo")))
                .hasMessage("key '42|MX' has 2 components, key.dimensions has 6 "
                        + "[ad_id, geo, device, os, browser, connection]");
        assertThatThrownBy(() -> keys.of("42|MX|m|i|s|w", List.of("city")))
                .hasMessageContaining("names 'city', which is not one of the key dimensions");
    }
}
