package adrank.udfs.event;

import java.util.List;

/** Column order of {@code t_raw_events} (and {@code t_bin_events}), as fixed by the design. */
public final class RawEventSchema {

    public static final List<String> COLUMNS = List.of(
            "ts", "event", "request_id", "ad_id", "campaign_id", "advertiser_id", "traffic_source",
            "geo", "device", "os", "browser", "connection", "isp", "revenue_micros", "value_micros");

    /**
     * The optional trailing columns an ad server logs for A/B readouts: the traffic unit it routed
     * ({@code unit_id}) and what answered ({@code variant}, {@code experiment:arm:schema:vN} or empty).
     * A row has either the 15 {@link #COLUMNS} or these two more.
     */
    public static final List<String> EXPERIMENT_COLUMNS = List.of("unit_id", "variant");

    /** The 17 columns of a row that carries its experiment assignment. */
    public static final List<String> COLUMNS_WITH_EXPERIMENT = List.of(
            "ts", "event", "request_id", "ad_id", "campaign_id", "advertiser_id", "traffic_source",
            "geo", "device", "os", "browser", "connection", "isp", "revenue_micros", "value_micros",
            "unit_id", "variant");

    public static final int TS = 0;
    public static final int EVENT = 1;
    public static final int REVENUE_MICROS = 13;
    public static final int VALUE_MICROS = 14;
    public static final int UNIT_ID = 15;
    public static final int VARIANT = 16;

    private RawEventSchema() {
    }

    /** Index of a column by name. */
    public static int indexOf(String column) {
        int index = COLUMNS.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("unknown column '" + column + "'; columns are " + COLUMNS);
        }
        return index;
    }

    /** True for the columns that may be used as key dimensions (the descriptive string columns). */
    public static boolean isDimension(String column) {
        int index = COLUMNS.indexOf(column);
        return index > EVENT && index < REVENUE_MICROS;
    }
}
