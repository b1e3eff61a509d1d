package adrank.testdata;

import adrank.udfs.event.RawEventSchema;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

/**
 * Where the generator writes and what a raw event line looks like: the {@code t_raw_events}
 * contract of DESIGN.md ("Input"), shared with the readers' tests.
 *
 * <pre>
 * &lt;root&gt;/t_raw_events/dt=YYYY-MM-DD/hr=HH/adserver-NN.tsv.gz   one file per ad server
 * &lt;root&gt;/t_raw_events/dt=YYYY-MM-DD/hr=HH/_SUCCESS             written last
 * &lt;root&gt;/truth/keys.tsv                                         ground truth per key
 * </pre>
 *
 * <p>Event semantics: every impression ({@code imp}) may be followed, with its key's {@code ctr},
 * by a {@code click} with the same {@code request_id}, and that click, with the key's {@code cvr},
 * by a {@code conv}; both come later in the same file and hour. CPM-billed ads carry
 * {@code revenue_micros} on {@code imp} lines (the key's price times mean-one noise), CPC-billed ads
 * on {@code click} lines (price / CTR times the same noise); only {@code conv} lines carry a
 * non-zero {@code value_micros}. Lines are roughly in time order.
 */
public final class RawEventLayout {

    public static final String TABLE = "t_raw_events";
    public static final String SUCCESS_MARKER = "_SUCCESS";
    public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd HH:mm:ss";

    /** Column names of a raw event line, in order (the design's schema); lines are tab-separated. */
    public static final List<String> COLUMNS = RawEventSchema.COLUMNS;

    /** The impression key's default dimensions, the first columns of {@code truth/keys.tsv}. */
    public static final List<String> KEY_COLUMNS = List.of("ad_id", "geo", "device", "os", "browser", "connection");

    /**
     * Columns of {@code truth/keys.tsv} (tab-separated, one header line, one row per key, heaviest
     * key first; doubles in {@link Double#toString(double)} form):
     * <ul>
     * <li>the six {@link #KEY_COLUMNS};</li>
     * <li>{@code traffic_share}: probability that an impression belongs to this key (sums to 1);</li>
     * <li>{@code ctr}: probability that an impression is followed by a click;</li>
     * <li>{@code cvr}: probability that a click is followed by a conversion;</li>
     * <li>{@code cpm_micros}: expected revenue per 1000 impressions, over all events of the key
     *     (CPM-billed ads charge on impressions, CPC-billed ads on clicks);</li>
     * <li>{@code value_per_conv_micros}: mean {@code value_micros} of a conversion.</li>
     * </ul>
     */
    public static final List<String> TRUTH_COLUMNS = List.of(
            "ad_id", "geo", "device", "os", "browser", "connection",
            "traffic_share", "ctr", "cvr", "cpm_micros", "value_per_conv_micros");

    /** Values of the {@code event} column. */
    public static final List<String> EVENT_TYPES = List.of("imp", "click", "conv");

    public static final int TS = 0;
    public static final int EVENT = 1;
    public static final int REQUEST_ID = 2;
    public static final int GEO = 7;
    public static final int REVENUE_MICROS = 13;
    public static final int VALUE_MICROS = 14;

    private RawEventLayout() {
    }

    /** {@code <root>/t_raw_events/dt=YYYY-MM-DD/hr=HH}. */
    public static Path hourDirectory(Path root, LocalDate dt, int hr) {
        return root.resolve(TABLE).resolve("dt=" + dt).resolve(String.format("hr=%02d", hr));
    }

    /** {@code adserver-NN.tsv.gz} for server 1..99. */
    public static String serverFileName(int server) {
        return String.format("adserver-%02d.tsv.gz", server);
    }

    /** {@code <root>/truth/keys.tsv}. */
    public static Path truthFile(Path root) {
        return root.resolve("truth").resolve("keys.tsv");
    }
}
