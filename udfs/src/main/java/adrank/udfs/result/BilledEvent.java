package adrank.udfs.result;

import adrank.udfs.stats.Counters;

/**
 * The event whose lines carry an ad's revenue: impressions (CPM billing), clicks (CPC) or
 * conversions (CPA). It decides how noisy a key's revenue per impression is: a CPM-billed key
 * earns on every impression, a CPA-billed key on a handful of lagged conversions.
 */
public enum BilledEvent {
    IMPRESSION, CLICK, CONVERSION;

    /** The count of this event in the counters. */
    public long count(Counters c) {
        return switch (this) {
            case IMPRESSION -> c.imps();
            case CLICK -> c.clicks();
            case CONVERSION -> c.convs();
        };
    }
}
