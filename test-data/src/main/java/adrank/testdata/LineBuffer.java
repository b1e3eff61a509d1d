package adrank.testdata;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A byte buffer that event lines are appended to field by field, flushed to a stream in large
 * chunks. Avoids String/formatter allocations on the hot path: all text here is ASCII.
 */
final class LineBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] bytes;
    private int position;

    LineBuffer(OutputStream out, int capacity) {
        this.out = out;
        this.bytes = new byte[capacity];
    }

    /** Makes room for {@code length} more bytes, so that a line is never split across flushes. */
    void reserve(int length) throws IOException {
        if (position + length > bytes.length) {
            flush();
        }
    }

    int position() {
        return position;
    }

    /** Removes and returns everything appended since {@code from} (a {@link #position()} taken after {@link #reserve}). */
    String cut(int from) {
        String text = new String(bytes, from, position - from, StandardCharsets.US_ASCII);
        position = from;
        return text;
    }

    void put(char c) {
        bytes[position++] = (byte) c;
    }

    void put(byte[] b) {
        System.arraycopy(b, 0, bytes, position, b.length);
        position += b.length;
    }

    /** 0..99 as two digits. */
    void putTwoDigits(int value) {
        bytes[position++] = (byte) ('0' + value / 10);
        bytes[position++] = (byte) ('0' + value % 10);
    }

    /** A non-negative number in decimal. */
    void putLong(long value) {
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int end = position + digits;
        for (int i = end - 1; i >= position; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        position = end;
    }

    /** 64 bits as 16 lower-case hex digits. */
    void putHex(long value) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            bytes[position++] = HEX[(int) (value >>> shift) & 0xf];
        }
    }

    void flush() throws IOException {
        out.write(bytes, 0, position);
        position = 0;
    }
}
