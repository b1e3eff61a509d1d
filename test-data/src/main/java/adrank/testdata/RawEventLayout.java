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
 * <p>Event semantics:
 * <ul>
 * <li>An impression is clicked with probability {@code ctr}; the {@code click} comes after a click
 *     lag (log-normal, median 40 s by default: most within a minute, a tail of tens of minutes).</li>
 * <li>A click converts with probability {@code (1 - vt) * cvr}, an impression that is not clicked
 *     converts without a click (view-through) with probability {@code vt * ctr * cvr}, where
 *     {@code vt} is the setting {@link GeneratorSettings#viewThroughShare()} (10 % by default); the
 *     {@code conv} comes after a conversion lag counted from the click or the impression
 *     (log-normal, median 3 h by default, up to 10 days).</li>
 * <li>A click or conversion that lands in its impression's (click's) hour is written into the same
 *     file, later in it, with the same {@code request_id}. One that lands in a later hour is
 *     written there, into any file, with a fresh {@code request_id}: <b>request ids link events
 *     only within an hour and file</b>. A {@code click} or {@code conv} whose {@code request_id}
 *     appears nowhere earlier in its file is such a late arrival; a {@code conv} whose request's earlier
 *     line is an {@code imp} is an on-time view-through conversion. So an hour, or a key within an
 *     hour, may hold more clicks than impressions or more conversions than clicks.</li>
 * <li>Revenue: CPM-billed ads carry {@code revenue_micros} on {@code imp} lines (the key's price per
 *     impression times mean-one noise), CPC-billed ads on {@code click} lines (price / CTR times
 *     the same noise), CPA-billed ads on {@code conv} lines (price / (CTR * CVR) times the noise,
 *     view-through conversions included); every other line carries 0. Only {@code conv} lines
 *     carry a non-zero {@code value_micros}.</li>
 * <li>Lines of a file are in time order.</li>
 * </ul>
 * With {@link GeneratorSettings#tidy()} (no lags, no view-through, no CPA) every click and
 * conversion follows its impression within minutes in the same hour and file.
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
     * key first; doubles in {@link Double#toString(double)} form). The rates are the key's <b>true
     * long-run rates</b>: what its counts converge to over many hours, whatever hour the events of
     * one impression land in (a single hour's counts do not show them: late arrivals there come from
     * earlier hours' traffic).
     * <ul>
     * <li>the six {@link #KEY_COLUMNS};</li>
     * <li>{@code traffic_share}: probability that an impression belongs to this key (sums to 1);</li>
     * <li>{@code ctr}: clicks / impressions (the probability that an impression is clicked);</li>
     * <li>{@code cvr}: all conversions, click-through and view-through, / clicks. A click converts
     *     with probability {@code (1 - vt) * cvr}; the view-through conversions add {@code vt * cvr}
     *     per click, {@code vt} being the generation's view-through share;</li>
     * <li>{@code cpm_micros}: revenue per 1000 impressions over all events of the key, whichever
     *     lines its billing puts the revenue on;</li>
     * <li>{@code value_per_conv_micros}: mean {@code value_micros} of a conversion (click-through or
     *     view-through alike);</li>
     * <li>{@code billing}: {@code cpm}, {@code cpc} or {@code cpa}: whether the key's revenue comes
     *     on its {@code imp}, {@code click} or {@code conv} lines. Last, so positional readers of
     *     the earlier columns keep working.</li>
     * </ul>
     */
    public static final List<String> TRUTH_COLUMNS = List.of(
            "ad_id", "geo", "device", "os", "browser", "connection",
            "traffic_share", "ctr", "cvr", "cpm_micros", "value_per_conv_micros", "billing");

    /** Values of the {@code billing} truth column. */
    public static final List<String> BILLING_TYPES = List.of("cpm", "cpc", "cpa");

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
