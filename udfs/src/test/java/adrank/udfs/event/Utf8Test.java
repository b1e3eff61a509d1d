package adrank.udfs.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void wellFormedTextDecodesAsTheJdkDecodesIt() {
        for (String text : new String[] {"", "MX", "Samsung Internet", "Zürich", "東京", "🙂 ok", "\uFFFD"}) {
            assertThat(Utf8.decode(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
        }
    }

    @Test
    void eachInvalidByteBecomesItsEscapeSurrogate() {
        // a stray byte, a truncated 3-byte sequence, an overlong '/', an encoded surrogate, above U+10FFFF,
        // a lead byte followed by ASCII
        assertThat(Utf8.decode(bytes('M', 0xFF, 'X'))).isEqualTo("M\uDCFFX");
        assertThat(Utf8.decode(bytes(0xE6, 0x9D))).isEqualTo("\uDCE6\uDC9D");
        assertThat(Utf8.decode(bytes(0xC0, 0xAF))).isEqualTo("\uDCC0\uDCAF");
        assertThat(Utf8.decode(bytes(0xED, 0xA0, 0x80))).isEqualTo("\uDCED\uDCA0\uDC80");
        assertThat(Utf8.decode(bytes(0xF4, 0x90, 0x80, 0x80))).isEqualTo("\uDCF4\uDC90\uDC80\uDC80");
        assertThat(Utf8.decode(bytes(0xC3, 'A', 0xC3, 0xBC))).isEqualTo("\uDCC3Aü");
        String s = Utf8.decode(bytes('Z', 0xC3, 0xBC, 'r', 0xFF));
        assertThat(s).isEqualTo("Zür\uDCFF");
        assertThat(Utf8.isEscapedByte(s, 3)).isTrue();
        assertThat(Utf8.escapedByte(s.charAt(3))).isEqualTo(0xFF);
        assertThat(Utf8.byteLength(s, 3)).isEqualTo(4); // Z, two bytes of ü, r
        assertThat(Utf8.display(s)).isEqualTo("Zür\uFFFD");
        // a character above U+FFFF is a surrogate pair, not an escaped byte
        assertThat(Utf8.isEscapedByte("\uD800\uDC80", 1)).isFalse();
        assertThat(Utf8.display("a\uD83D\uDE42b")).isEqualTo("a\uD83D\uDE42b");
        // displayed exactly as the JDK's lenient decoding of the original bytes (what the quarantine showed before)
        for (byte[] input : new byte[][] {bytes('a', 0xE6, 0x9D, 'b'), bytes(0xF0, 0x9F, 0x99), bytes(0xC0, 0xAF, 0xFF),
            bytes('Z', 0xC3, 0xBC, 0xED, 0xA0, 0x80, 'x')}) {
            assertThat(Utf8.display(Utf8.decode(input))).isEqualTo(new String(input, StandardCharsets.UTF_8));
        }
        assertThat(Utf8.display("M\uD800X")).isEqualTo("M\uFFFDX");
    }

    /** Random bytes: valid input decodes like a strict decoder; invalid input keeps every byte. */
    @Test
    void agreesWithAStrictDecoderAndLosesNoByte() {
        Random random = new Random(42);
        int invalid = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[random.nextInt(12)];
            for (int i = 0; i < input.length; i++) {
                // mostly the bytes that make or break multi-byte sequences
                input[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(0x80) : 0x80 + random.nextInt(0x80));
            }
            String decoded = Utf8.decode(input);
            String strict;
            try {
                strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(input)).toString();
            } catch (CharacterCodingException e) {
                strict = null;
                invalid++;
            }
            if (strict != null) {
                assertThat(decoded).isEqualTo(strict);
            } else {
                boolean escaped = false;
                for (int i = 0; i < decoded.length(); i++) {
                    escaped |= Utf8.isEscapedByte(decoded, i);
                }
                assertThat(escaped).as("%s", java.util.Arrays.toString(input)).isTrue();
            }
            assertThat(reencode(decoded)).isEqualTo(input);
        }
        assertThat(invalid).isGreaterThan(1000);
    }

    private static byte[] reencode(String decoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < decoded.length(); i++) {
            if (Utf8.isEscapedByte(decoded, i)) {
                out.write(Utf8.escapedByte(decoded.charAt(i)));
            } else {
                int cp = decoded.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toByteArray();
    }
}
