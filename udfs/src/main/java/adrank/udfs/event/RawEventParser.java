package adrank.udfs.event;

import adrank.udfs.experiment.Variant;
import adrank.udfs.key.ImpressionKey;
import java.io.Serializable;
import java.util.List;

/**
 * Validates one {@code t_raw_events} row and reduces it to a {@link ParsedEvent}.
 *
 * <p>A row is rejected, with the first reason that applies, in this order, when it has
 * <ol>
 *   <li>a column count other than 15 or 17 ({@code column_count}; 17 = the 15 plus the optional
 *       {@code unit_id} and {@code variant}),</li>
 *   <li>an unparsable timestamp, {@code yyyy-MM-dd HH:mm:ss} ({@code bad_timestamp}),</li>
 *   <li>an unknown event type ({@code unknown_event}),</li>
 *   <li>in a descriptive column ({@code request_id} .. {@code isp}, every column that can be a key
 *       dimension, whether it is one or not), taken in column order: bytes that are not UTF-8
 *       ({@code invalid_utf8}, the first invalid byte and its byte offset in the column), else a C0
 *       control character or DEL ({@code control_character}, the character and its offset in code
 *       points),</li>
 *   <li>an empty key component ({@code empty_key_component}),</li>
 *   <li>a money column that is not an integer ({@code bad_number}) or is negative
 *       ({@code negative_money}),</li>
 *   <li>(17 columns) a {@code unit_id} that is not plain text ({@code invalid_utf8},
 *       {@code control_character}), a {@code variant} that is neither empty nor
 *       {@code experiment:arm:schema:vN}, or a variant without a unit ({@code bad_variant}).</li>
 * </ol>
 * The two trailing columns never change the key, type or money of an event, so hourly and daily
 * results are the same with or without them.
 * Offsets are 0-based and count within the column. Invalid bytes reach the parser as the unpaired
 * surrogates {@link Utf8#decode} makes of them (text lines and ORC/Parquet columns are read as bytes
 * and decoded with it); an unpaired surrogate in a {@code String} given by any other caller is not
 * UTF-8 either and is rejected the same way. Spaces and other legitimate characters are kept and
 * escaped in the key by {@link ImpressionKey}. The timestamp is only validated, not used: the
 * partition, not the timestamp, decides which hour an event is counted in (late events land in
 * later partitions on purpose).
 */
public final class RawEventParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int COLUMN_COUNT = RawEventSchema.COLUMNS.size();
    private static final int COLUMN_COUNT_WITH_EXPERIMENT = RawEventSchema.COLUMNS_WITH_EXPERIMENT.size();
    private static final String COUNT_EXPECTED = "expected " + COLUMN_COUNT + " (or " + COLUMN_COUNT_WITH_EXPERIMENT
            + " with unit_id, variant)";

    private final ImpressionKey keyCodec;
    private final int[] keyColumns;
    private final String[] keyColumnNames;

    /**
     * @param keyDimensions the configured {@code key.dimensions}, in key order
     * @param separator     the key separator
     */
    public RawEventParser(List<String> keyDimensions, char separator) {
        if (keyDimensions.isEmpty()) {
            throw new IllegalArgumentException("key.dimensions must name at least one column");
        }
        this.keyCodec = new ImpressionKey(separator);
        this.keyColumns = new int[keyDimensions.size()];
        this.keyColumnNames = keyDimensions.toArray(new String[0]);
        for (int i = 0; i < keyColumns.length; i++) {
            String dimension = keyDimensions.get(i);
            if (!RawEventSchema.isDimension(dimension)) {
                throw new IllegalArgumentException("key dimension '" + dimension + "' is not a descriptive column of "
                        + RawEventSchema.COLUMNS.subList(RawEventSchema.EVENT + 1, RawEventSchema.REVENUE_MICROS));
            }
            keyColumns[i] = RawEventSchema.indexOf(dimension);
        }
    }

    /** Parses a tab-separated line as read from the file (bytes, expected to be UTF-8). */
    public ParsedEvent parseLine(byte[] line) throws MalformedRowException {
        return parseLine(Utf8.decode(line));
    }

    /** Parses a tab-separated line (decoded with {@link Utf8#decode} when it came as bytes). */
    public ParsedEvent parseLine(String line) throws MalformedRowException {
        String[] fields = new String[COLUMN_COUNT_WITH_EXPERIMENT];
        int count = 0;
        int start = 0;
        while (true) {
            int tab = line.indexOf('\t', start);
            if (count == COLUMN_COUNT_WITH_EXPERIMENT) {
                // one more field than the most expected: count the rest for the message
                int total = COLUMN_COUNT_WITH_EXPERIMENT + 1;
                for (int i = start; (i = line.indexOf('\t', i)) >= 0; i++) {
                    total++;
                }
                throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                        COUNT_EXPECTED + " tab-separated columns, got " + total);
            }
            fields[count++] = tab < 0 ? line.substring(start) : line.substring(start, tab);
            if (tab < 0) {
                break;
            }
            start = tab + 1;
        }
        if (count != COLUMN_COUNT && count != COLUMN_COUNT_WITH_EXPERIMENT) {
            throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                    COUNT_EXPECTED + " tab-separated columns, got " + count);
        }
        return parseFields(count == COLUMN_COUNT ? java.util.Arrays.copyOf(fields, COLUMN_COUNT) : fields);
    }

    /**
     * Parses a row given as its 15 or 17 column values (strings, as typed columns of ORC/Parquet
     * are rendered); {@code null} stands for a missing value.
     */
    public ParsedEvent parseFields(String[] fields) throws MalformedRowException {
        if (fields.length != COLUMN_COUNT && fields.length != COLUMN_COUNT_WITH_EXPERIMENT) {
            throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                    COUNT_EXPECTED + " columns, got " + fields.length);
        }
        String ts = fields[RawEventSchema.TS];
        if (ts == null || !isTimestamp(ts)) {
            throw new MalformedRowException(RejectReason.BAD_TIMESTAMP,
                    "ts is not a yyyy-MM-dd HH:mm:ss timestamp: '" + shown(ts) + "'");
        }
        String eventCode = fields[RawEventSchema.EVENT];
        EventType type = eventCode == null ? null : EventType.ofCode(eventCode);
        if (type == null) {
            throw new MalformedRowException(RejectReason.UNKNOWN_EVENT,
                    "event is not one of imp, click, conv: '" + shown(eventCode) + "'");
        }
        for (int column = RawEventSchema.EVENT + 1; column < RawEventSchema.REVENUE_MICROS; column++) {
            String text = fields[column];
            if (text != null && !isPlainText(text)) {
                throw textError(column, text);
            }
        }
        StringBuilder key = new StringBuilder(64);
        for (int i = 0; i < keyColumns.length; i++) {
            String component = fields[keyColumns[i]];
            if (component == null || component.isEmpty()) {
                throw new MalformedRowException(RejectReason.EMPTY_KEY_COMPONENT,
                        "key component " + keyColumnNames[i] + " is empty");
            }
            if (i > 0) {
                key.append(keyCodec.separator());
            }
            keyCodec.appendEscaped(key, component, i);
        }
        long revenue = money(fields[RawEventSchema.REVENUE_MICROS], "revenue_micros");
        long value = money(fields[RawEventSchema.VALUE_MICROS], "value_micros");
        if (fields.length == COLUMN_COUNT) {
            return new ParsedEvent(key.toString(), type, revenue, value);
        }
        String unit = fields[RawEventSchema.UNIT_ID];
        if (unit != null && !isPlainText(unit)) {
            throw textError(RawEventSchema.UNIT_ID, unit);
        }
        unit = unit == null || unit.isEmpty() ? null : unit;
        Variant variant;
        try {
            variant = Variant.parse(fields[RawEventSchema.VARIANT]);
        } catch (IllegalArgumentException e) {
            throw new MalformedRowException(RejectReason.BAD_VARIANT, e.getMessage());
        }
        if (variant != null && unit == null) {
            throw new MalformedRowException(RejectReason.BAD_VARIANT,
                    "variant '" + variant + "' has no unit_id (the readout clusters by unit)");
        }
        return new ParsedEvent(key.toString(), type, revenue, value, unit, variant);
    }

    private static long money(String text, String column) throws MalformedRowException {
        long amount;
        try {
            amount = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedRowException(RejectReason.BAD_NUMBER, column + " is not an integer: '" + shown(text) + "'");
        }
        if (amount < 0) {
            throw new MalformedRowException(RejectReason.NEGATIVE_MONEY, column + " is negative: " + amount);
        }
        return amount;
    }

    /**
     * True when the text has no C0 control character, no DEL and no unpaired surrogate (the hot
     * path: one pass, no allocation).
     */
    private static boolean isPlainText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20) {
                return false;
            }
            if (c >= 0x7F) { // printable ASCII needs two comparisons
                if (c == 0x7F) {
                    return false;
                }
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1))) {
                        i++; // a well-formed pair (a character above U+FFFF)
                    } else {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Why a descriptive column is not plain text: its first invalid byte (or unpaired surrogate),
     * if any, else its first control character.
     */
    private static MalformedRowException textError(int column, String text) {
        String name = RawEventSchema.COLUMNS_WITH_EXPERIMENT.get(column);
        int control = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                String what = Utf8.isEscapedByte(text, i)
                        ? String.format("byte 0x%02X", Utf8.escapedByte(c))
                        : String.format("unpaired surrogate U+%04X", (int) c);
                return new MalformedRowException(RejectReason.INVALID_UTF8,
                        name + " is not valid UTF-8: " + what + " at byte offset " + Utf8.byteLength(text, i));
            }
            if (control < 0 && (c < 0x20 || c == 0x7F)) {
                control = i;
            }
        }
        return new MalformedRowException(RejectReason.CONTROL_CHARACTER, String.format(
                "%s contains control character U+%04X at offset %d", name, (int) text.charAt(control),
                text.codePointCount(0, control)));
    }

    /** A value as a message shows it: bytes that were not UTF-8 as U+FFFD. */
    private static String shown(String value) {
        return value == null ? null : Utf8.display(value);
    }

    /** Strict {@code yyyy-MM-dd HH:mm:ss} check with field ranges; no allocation. */
    static boolean isTimestamp(String s) {
        if (s.length() != 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != ' '
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return false;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        return year >= 1970 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
                && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    private static int digits(String s, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return java.time.YearMonth.of(year, month).lengthOfMonth();
    }
}
