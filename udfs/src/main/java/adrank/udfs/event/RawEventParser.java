package adrank.udfs.event;

import adrank.udfs.key.ImpressionKey;
import java.io.Serializable;
import java.util.List;

/**
 * Validates one {@code t_raw_events} row and reduces it to a {@link ParsedEvent}.
 *
 * <p>A row is rejected, with the first reason that applies, when it has a column count other
 * than 15, an unparsable timestamp ({@code yyyy-MM-dd HH:mm:ss}), an unknown event type, an
 * empty key component, a money column that is not an integer, or negative money. The
 * timestamp is only validated, not used: the partition, not the timestamp, decides which hour
 * an event is counted in (late events land in later partitions on purpose).
 */
public final class RawEventParser implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final int COLUMN_COUNT = RawEventSchema.COLUMNS.size();

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

    /** Parses a tab-separated line. */
    public ParsedEvent parseLine(String line) throws MalformedRowException {
        String[] fields = new String[COLUMN_COUNT];
        int count = 0;
        int start = 0;
        while (true) {
            int tab = line.indexOf('\t', start);
            if (count == COLUMN_COUNT) {
                // one more field than expected: count the rest for the message
                int total = COLUMN_COUNT + 1;
                for (int i = start; (i = line.indexOf('\t', i)) >= 0; i++) {
                    total++;
                }
                throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                        "expected " + COLUMN_COUNT + " tab-separated columns, got " + total);
            }
            fields[count++] = tab < 0 ? line.substring(start) : line.substring(start, tab);
            if (tab < 0) {
                break;
            }
            start = tab + 1;
        }
        if (count != COLUMN_COUNT) {
            throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                    "expected " + COLUMN_COUNT + " tab-separated columns, got " + count);
        }
        return parseFields(fields);
    }

    /**
     * Parses a row given as its 15 column values (strings, as typed columns of ORC/Parquet are
     * rendered); {@code null} stands for a missing value.
     */
    public ParsedEvent parseFields(String[] fields) throws MalformedRowException {
        if (fields.length != COLUMN_COUNT) {
            throw new MalformedRowException(RejectReason.COLUMN_COUNT,
                    "expected " + COLUMN_COUNT + " columns, got " + fields.length);
        }
        String ts = fields[RawEventSchema.TS];
        if (ts == null || !isTimestamp(ts)) {
            throw new MalformedRowException(RejectReason.BAD_TIMESTAMP,
                    "ts is not a yyyy-MM-dd HH:mm:ss timestamp: '" + ts + "'");
        }
        String eventCode = fields[RawEventSchema.EVENT];
        EventType type = eventCode == null ? null : EventType.ofCode(eventCode);
        if (type == null) {
            throw new MalformedRowException(RejectReason.UNKNOWN_EVENT,
                    "event is not one of imp, click, conv: '" + eventCode + "'");
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
        return new ParsedEvent(key.toString(), type, revenue, value);
    }

    private static long money(String text, String column) throws MalformedRowException {
        long amount;
        try {
            amount = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedRowException(RejectReason.BAD_NUMBER, column + " is not an integer: '" + text + "'");
        }
        if (amount < 0) {
            throw new MalformedRowException(RejectReason.NEGATIVE_MONEY, column + " is negative: " + amount);
        }
        return amount;
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
