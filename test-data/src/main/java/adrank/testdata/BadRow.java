package adrank.testdata;

import static adrank.testdata.RawEventLayout.EVENT;
import static adrank.testdata.RawEventLayout.GEO;
import static adrank.testdata.RawEventLayout.REVENUE_MICROS;
import static adrank.testdata.RawEventLayout.TS;

import java.util.Arrays;

/**
 * The classes of malformed lines the generator mixes in. Bad row {@code j} of an hour has class
 * {@code values()[j % 6]}, so every class appears once {@code badRowsPerHour >= 6}. Each is an
 * otherwise valid impression line with exactly one defect.
 */
public enum BadRow {
    /** The last column ({@code value_micros}) is missing: 14 columns. */
    WRONG_COLUMN_COUNT,
    /** {@code revenue_micros} has a trailing letter, e.g. {@code 1234x}. */
    UNPARSABLE_NUMBER,
    /** The hour of {@code ts} is {@code xx}, e.g. {@code 2024-05-01 xx:17:42}. */
    UNPARSABLE_TIMESTAMP,
    /** {@code revenue_micros} is negative. */
    NEGATIVE_MONEY,
    /** {@code event} is {@code impression} instead of {@code imp}. */
    UNKNOWN_EVENT,
    /** {@code geo} is the empty string. */
    EMPTY_KEY_COMPONENT;

    /** This defect applied to the columns of a good impression line, joined back into a line. */
    String corrupt(String[] goodColumns) {
        String[] c = goodColumns.clone();
        switch (this) {
            case WRONG_COLUMN_COUNT -> c = Arrays.copyOf(c, c.length - 1);
            case UNPARSABLE_NUMBER -> c[REVENUE_MICROS] = c[REVENUE_MICROS] + "x";
            case UNPARSABLE_TIMESTAMP -> c[TS] = c[TS].substring(0, 11) + "xx" + c[TS].substring(13);
            // A price can round to 0 micros, and "-0" would parse as a valid zero.
            case NEGATIVE_MONEY -> c[REVENUE_MICROS] = "-" + Math.max(1, Long.parseLong(c[REVENUE_MICROS]));
            case UNKNOWN_EVENT -> c[EVENT] = "impression";
            case EMPTY_KEY_COMPONENT -> c[GEO] = "";
        }
        return String.join("\t", c);
    }
}
