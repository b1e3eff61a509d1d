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
        assertThat(count.detail()).isEqualTo("expected 15 (or 17 with unit_id, variant) tab-separated columns, got 3");
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
    // ------------------------------------------------------------------- invalid UTF-8 and control characters

    /** A valid line with one column replaced (by name). */
    private static String lineWith(String column, String value) {
        String[] fields = line("2026-11-20 05:13:42", "imp", "MX", "chrome", "2500", "0").split("\t", -1);
        fields[RawEventSchema.indexOf(column)] = value;
        return String.join("\t", fields);
    }

    /** The same line as bytes, with the column's value given as raw bytes (as the file holds it). */
    private static byte[] bytesWith(String column, byte[] value) {
        String[] fields = line("2026-11-20 05:13:42", "imp", "MX", "chrome", "2500", "0").split("\t", -1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.write('\t');
            }
            out.writeBytes(i == RawEventSchema.indexOf(column) ? value
                    : fields[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private MalformedRowException rejected(byte[] line) {
        MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(line), MalformedRowException.class);
        assertThat(e).as("expected the line to be rejected").isNotNull();
        return e;
    }

    private MalformedRowException rejected(String line) {
        MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(line), MalformedRowException.class);
        assertThat(e).as("expected %s to be rejected", line).isNotNull();
        return e;
    }

    @Test
    void invalidUtf8InAKeyColumnIsRejectedNamingTheColumnTheByteAndItsOffset() {
        MalformedRowException stray = rejected(bytesWith("geo", bytes('M', 0xFF, 'X')));
        assertThat(stray.reason()).isEqualTo(RejectReason.INVALID_UTF8);
        assertThat(stray.reason().code()).isEqualTo("invalid_utf8");
        assertThat(stray.detail()).isEqualTo("geo is not valid UTF-8: byte 0xFF at byte offset 1");
        // after a well-formed two-byte character: the offset counts bytes
        assertThat(rejected(bytesWith("geo", bytes('Z', 0xC3, 0xBC, 'r', 0xC3))).detail())
                .isEqualTo("geo is not valid UTF-8: byte 0xC3 at byte offset 4");
        // Latin-1 text mistaken for UTF-8, an overlong '/', an encoded surrogate
        assertThat(rejected(bytesWith("geo", bytes('Z', 0xFC, 'r'))).detail())
                .isEqualTo("geo is not valid UTF-8: byte 0xFC at byte offset 1");
        assertThat(rejected(bytesWith("browser", bytes(0xC0, 0xAF))).detail())
                .isEqualTo("browser is not valid UTF-8: byte 0xC0 at byte offset 0");
        assertThat(rejected(bytesWith("os", bytes('a', 0xED, 0xA0, 0x80))).detail())
                .isEqualTo("os is not valid UTF-8: byte 0xED at byte offset 1");
    }

    @Test
    void controlCharactersInAKeyColumnAreRejectedNamingTheColumnTheCharacterAndItsOffset() {
        MalformedRowException nul = rejected(lineWith("os", "andr\0oid"));
        assertThat(nul.reason()).isEqualTo(RejectReason.CONTROL_CHARACTER);
        assertThat(nul.reason().code()).isEqualTo("control_character");
        assertThat(nul.detail()).isEqualTo("os contains control character U+0000 at offset 4");
        assertThat(rejected(lineWith("ad_id", "ad\u007F7")).detail())
                .isEqualTo("ad_id contains control character U+007F at offset 2");
        assertThat(rejected(lineWith("ad_id", "\u001B[31mad7")).detail())
                .isEqualTo("ad_id contains control character U+001B at offset 0");
        assertThat(rejected(lineWith("ad_id", "ad7\u0001")).detail())
                .isEqualTo("ad_id contains control character U+0001 at offset 3");
        // the offset counts characters (code points), not bytes
        assertThat(rejected(lineWith("geo", "東京\u0007")).detail())
                .isEqualTo("geo contains control character U+0007 at offset 2");
        // the same from the bytes of the file
        assertThat(rejected(bytesWith("os", bytes('a', 0, 'b'))).detail())
                .isEqualTo("os contains control character U+0000 at offset 1");
        // tab, CR and LF cannot be inside a text column, but can inside an ORC string: rejected too
        for (String control : new String[] {"\t", "\r", "\n"}) {
            String[] fields = lineWith("geo", "MX").split("\t", -1);
            fields[RawEventSchema.indexOf("geo")] = "M" + control + "X";
            MalformedRowException e = catchThrowableOfType(() -> parser.parseFields(fields), MalformedRowException.class);
            assertThat(e.reason()).isEqualTo(RejectReason.CONTROL_CHARACTER);
        }
    }

    @Test
    void everyColumnThatCanBeAKeyDimensionIsCheckedWhetherItIsOneOrNot() {
        // request_id, campaign_id and isp are not in the key here
        for (String column : List.of("request_id", "campaign_id", "advertiser_id", "traffic_source", "isp")) {
            assertThat(rejected(lineWith(column, "x\0")).detail())
                    .isEqualTo(column + " contains control character U+0000 at offset 1");
            assertThat(rejected(bytesWith(column, bytes('x', 0x80))).reason()).isEqualTo(RejectReason.INVALID_UTF8);
        }
    }

    @Test
    void theFirstOffendingColumnDecidesAndInvalidUtf8GoesFirstWithinAColumn() {
        // column order: ad_id (3) before geo (7)
        String[] fields = lineWith("ad_id", "ad\0").split("\t", -1);
        fields[RawEventSchema.indexOf("geo")] = "M\uDCFFX"; // what Utf8.decode makes of the byte 0xFF
        MalformedRowException e = catchThrowableOfType(() -> parser.parseFields(fields), MalformedRowException.class);
        assertThat(e.detail()).isEqualTo("ad_id contains control character U+0000 at offset 2");
        // one column with both: invalid UTF-8 wins, as in the Presto ETL's checks
        assertThat(rejected(bytesWith("geo", bytes(0, 'M', 0xFF))).detail())
                .isEqualTo("geo is not valid UTF-8: byte 0xFF at byte offset 2");
        // the checks before (timestamp, event) and after (empty key, money) keep their place
        assertThat(rejected(bytesWith("ts", bytes('2', 0xFF))).reason()).isEqualTo(RejectReason.BAD_TIMESTAMP);
        assertThat(rejected(bytesWith("ts", bytes('2', 0xFF))).detail())
                .isEqualTo("ts is not a yyyy-MM-dd HH:mm:ss timestamp: '2\uFFFD'");
        assertThat(rejected(bytesWith("revenue_micros", bytes('1', 0xFF))).detail())
                .isEqualTo("revenue_micros is not an integer: '1\uFFFD'");
        String emptyGeoAndNulIsp = lineWith("geo", "").replace("Comcast Cable", "Comcast\0");
        assertThat(rejected(emptyGeoAndNulIsp).reason()).isEqualTo(RejectReason.CONTROL_CHARACTER);
        // an unpaired surrogate handed in as a String has no UTF-8 form either
        assertThat(rejected(lineWith("geo", "M\uD800X")).detail())
                .isEqualTo("geo is not valid UTF-8: unpaired surrogate U+D800 at byte offset 1");
    }

    @Test
    void spacesAndNonAsciiLettersAreLegitimateAndKeptInTheKey() throws Exception {
        String line = line("2026-11-20 05:13:42", "imp", "Zürich", "Samsung Internet", "1", "0");
        ParsedEvent fromText = parser.parseLine(line);
        assertThat(fromText.key()).isEqualTo("ad7|Zürich|mobile|android|Samsung\\x20Internet|wifi");
        assertThat(parser.parseLine(line.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(fromText);
        assertThat(parser.parseLine(line("2026-11-20 05:13:42", "imp", "東京", "Edge 🙂", "1", "0")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).key())
                .isEqualTo("ad7|東京|mobile|android|Edge\\x20🙂|wifi");
        // a well-formed U+FFFD (EF BF BD in the file) is a character like any other
        assertThat(parser.parseLine(bytesWith("geo", bytes('M', 0xEF, 0xBF, 0xBD))).key())
                .isEqualTo("ad7|M\uFFFD|mobile|android|chrome|wifi");
        // C1 controls (U+0080..U+009F) are not C0: kept, and escaped in the key
        assertThat(parser.parseLine(lineWith("geo", "M\u0085X")).key()).startsWith("ad7|M\\x85X|");
    }
}
