package adrank.udfs.event;

import java.nio.charset.StandardCharsets;

/**
 * Decodes input bytes as UTF-8 without losing what is not UTF-8.
 *
 * <p>A Java {@code String} decoded the usual way replaces every malformed sequence with U+FFFD, so a
 * key column holding the byte {@code 0xFF} would silently become a new key containing U+FFFD. Here
 * each byte that is not part of a well-formed UTF-8 sequence (Unicode table 3-7: no overlong forms,
 * no encoded surrogates, nothing above U+10FFFF, no truncated sequence) becomes the unpaired low
 * surrogate {@code U+DC00 + byte} (U+DC80..U+DCFF, the "surrogateescape" scheme of PEP 383).
 * Well-formed text never decodes to an unpaired surrogate, so {@link RawEventParser} recognizes
 * the escaped bytes, rejects the row as {@link RejectReason#INVALID_UTF8} and can name the byte and
 * its offset.
 *
 * <p>Cost: valid input takes the JDK's own decoder (intrinsic for ASCII) plus one
 * {@code indexOf(U+FFFD)}, which is immediate for a Latin-1 string; only a line whose JDK decoding
 * contains U+FFFD (an invalid byte, or a genuine, well-formed U+FFFD) is decoded again here.
 */
public final class Utf8 {

    private static final char REPLACEMENT = '\uFFFD';
    private static final char ESCAPE_BASE = '\uDC00';

    private Utf8() {
    }

    /** Decodes all of {@code bytes}; invalid bytes become U+DC80..U+DCFF. */
    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** Decodes {@code bytes[offset, offset + length)}; invalid bytes become U+DC80..U+DCFF. */
    public static String decode(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf(REPLACEMENT) < 0) {
            return text; // the JDK replaced nothing: the bytes are well-formed UTF-8
        }
        return decodeEscaping(bytes, offset, length);
    }

    /** True when {@code text.charAt(index)} stands for an invalid input byte (see {@link #decode}). */
    public static boolean isEscapedByte(String text, int index) {
        char c = text.charAt(index);
        return c >= '\uDC80' && c <= '\uDCFF' && (index == 0 || !Character.isHighSurrogate(text.charAt(index - 1)));
    }

    /** The input byte an escaped character stands for (0x80..0xFF). */
    public static int escapedByte(char c) {
        return c - ESCAPE_BASE;
    }

    /**
     * The text for people and JSON (the quarantine's {@code line} and details): as the JDK's
     * lenient decoder shows the original bytes, i.e. bytes that are not UTF-8 as U+FFFD (an unpaired
     * surrogate given as a String, which has no bytes, as U+FFFD too).
     */
    public static String display(String text) {
        int first = firstUnpairedSurrogate(text);
        if (first < 0) {
            return text;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(text.length() + 8);
        bytes.writeBytes(text.substring(0, first).getBytes(StandardCharsets.UTF_8));
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (isEscapedByte(text, i)) {
                bytes.write(escapedByte(c));
            } else if (Character.isSurrogate(c)) {
                bytes.writeBytes(String.valueOf(REPLACEMENT).getBytes(StandardCharsets.UTF_8));
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
    }

    private static int firstUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The number of UTF-8 bytes {@code text[0, end)} came from (an escaped byte counts one). */
    public static int byteLength(String text, int end) {
        int bytes = 0;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (isEscapedByte(text, i)) {
                bytes += 1;
            } else {
                bytes += 3; // a BMP character (or an unpaired surrogate given as a String, counted as CESU would)
            }
        }
        return bytes;
    }

    private static String decodeEscaping(byte[] b, int offset, int length) {
        StringBuilder out = new StringBuilder(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b0 = b[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int n = sequenceLength(b, i, end);
            if (n == 0) {
                out.append((char) (ESCAPE_BASE + b0)); // not the start of a well-formed sequence: keep the byte
                i++;
                continue;
            }
            int cp;
            if (n == 2) {
                cp = ((b0 & 0x1F) << 6) | (b[i + 1] & 0x3F);
            } else if (n == 3) {
                cp = ((b0 & 0x0F) << 12) | ((b[i + 1] & 0x3F) << 6) | (b[i + 2] & 0x3F);
            } else {
                cp = ((b0 & 0x07) << 18) | ((b[i + 1] & 0x3F) << 12) | ((b[i + 2] & 0x3F) << 6) | (b[i + 3] & 0x3F);
            }
            out.appendCodePoint(cp);
            i += n;
        }
        return out.toString();
    }

    /** Length of the well-formed multi-byte sequence starting at {@code i}, or 0 when there is none. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int b0 = b[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF; // the allowed range of the second byte
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0; // no overlong forms
            } else if (b0 == 0xED) {
                hi = 0x9F; // no surrogates
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90; // no overlong forms
            } else if (b0 == 0xF4) {
                hi = 0x8F; // nothing above U+10FFFF
            }
        } else {
            return 0; // a continuation byte, C0/C1 (overlong) or F5..FF
        }
        if (i + n > end) {
            return 0;
        }
        int b1 = b[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int bk = b[i + k] & 0xFF;
            if (bk < 0x80 || bk > 0xBF) {
                return 0;
            }
        }
        return n;
    }
}
