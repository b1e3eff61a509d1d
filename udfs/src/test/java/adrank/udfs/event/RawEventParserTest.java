package adrank.udfs.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawEventParserTest {

    private static final List<String> DIMENSIONS = List.of("ad_id", "geo", "device", "os", "browser", "connection");
    private final RawEventParser parser = new RawEventParser(DIMENSIONS, '|');

    private static String line(String ts, String event, String geo, String browser, String revenue, String value) {
        return String.join("\t", ts, event, "req1", "ad7", "cmp1", "adv1", "search", geo, "mobile", "android",
                browser, "wifi", "Comcast Cable", revenue, value);
    }

    @Test
    void parsesAnImpression() throws Exception {
        ParsedEvent event = parser.parseLine(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "2500", "0"));
        assertThat(event).isEqualTo(new ParsedEvent("ad7|MX|mobile|android|chrome|wifi", EventType.IMP, 2500, 0));
    }

    @Test
    void escapesSpacesInKeyComponents() throws Exception {
        ParsedEvent event = parser.parseLine(line("2026-11-20 05:13:42", "conv", "MX", "Samsung Internet", "0", "41000000"));
        assertThat(event.key()).isEqualTo("ad7|MX|mobile|android|Samsung\\x20Internet|wifi");
        assertThat(event.type()).isEqualTo(EventType.CONV);
        assertThat(event.valueMicros()).isEqualTo(41_000_000L);
    }

    @Test
    void keyFollowsConfiguredDimensionOrder() throws Exception {
        RawEventParser geoFirst = new RawEventParser(List.of("geo", "ad_id"), ';');
        assertThat(geoFirst.parseLine(line("2026-11-20 05:13:42", "click", "MX", "chrome", "0", "0")).key())
                .isEqualTo("MX;ad7");
    }

    private RejectReason rejectOf(String line) {
        MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(line), MalformedRowException.class);
        assertThat(e).as("expected %s to be rejected", line).isNotNull();
        return e.reason();
    }

    @Test
    void rejectsEachMalformedClassWithItsReason() {
        String good = line("2026-11-20 05:13:42", "imp", "MX", "chrome", "2500", "0");
        assertThat(rejectOf(good.substring(0, good.lastIndexOf('\t')))).isEqualTo(RejectReason.COLUMN_COUNT);
        assertThat(rejectOf(good + "\textra")).isEqualTo(RejectReason.COLUMN_COUNT);
        assertThat(rejectOf("")).isEqualTo(RejectReason.COLUMN_COUNT);
        assertThat(rejectOf(line("2026-11-20 25:13:42", "imp", "MX", "chrome", "2500", "0"))).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(rejectOf(line("2026-02-30 05:13:42", "imp", "MX", "chrome", "2500", "0"))).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(rejectOf(line("yesterday", "imp", "MX", "chrome", "2500", "0"))).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "12x", "0"))).isEqualTo(RejectReason.BAD_NUMBER);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "", "0"))).isEqualTo(RejectReason.BAD_NUMBER);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "2500", "1.5"))).isEqualTo(RejectReason.BAD_NUMBER);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "-1", "0"))).isEqualTo(RejectReason.NEGATIVE_MONEY);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "conv", "MX", "chrome", "0", "-5"))).isEqualTo(RejectReason.NEGATIVE_MONEY);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "impression", "MX", "chrome", "2500", "0"))).isEqualTo(RejectReason.UNKNOWN_EVENT);
        assertThat(rejectOf(line("2026-11-20 05:13:42", "imp", "", "chrome", "2500", "0"))).isEqualTo(RejectReason.EMPTY_KEY_COMPONENT);
    }

    @Test
    void messagesNameTheOffendingValue() {
        MalformedRowException e = catchThrowableOfType(
                () -> parser.parseLine(line("2026-11-20 05:13:42", "imp", "MX", "chrome", "12x", "0")),
                MalformedRowException.class);
        assertThat(e.detail()).isEqualTo("revenue_micros is not an integer: '12x'");
        MalformedRowException count = catchThrowableOfType(() -> parser.parseLine("a\tb\tc"), MalformedRowException.class);
        assertThat(count.detail()).isEqualTo("expected 15 tab-separated columns, got 3");
        MalformedRowException empty = catchThrowableOfType(
                () -> parser.parseLine(line("2026-11-20 05:13:42", "imp", "", "chrome", "1", "0")), MalformedRowException.class);
        assertThat(empty.detail()).isEqualTo("key component geo is empty");
    }

    @Test
    void emptyNonKeyColumnsAreAccepted() throws Exception {
        // isp is not a key dimension by default, so an empty isp is fine
        String noIsp = line("2026-11-20 05:13:42", "imp", "MX", "chrome", "1", "0").replace("Comcast Cable", "");
        assertThat(parser.parseLine(noIsp).revenueMicros()).isEqualTo(1);
    }

    @Test
    void rejectsNonDimensionKeyColumns() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new RawEventParser(List.of("ad_id", "revenue_micros"), '|'))
                .hasMessageContaining("revenue_micros");
    }
}
