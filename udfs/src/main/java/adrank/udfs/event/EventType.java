package adrank.udfs.event;

/** The event column of {@code t_raw_events}. */
public enum EventType {
    IMP("imp"),
    CLICK("click"),
    CONV("conv");

    private final String code;

    EventType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Returns the event type for its log code, or {@code null} when the code is unknown. */
    public static EventType ofCode(String code) {
        switch (code) {
            case "imp":
                return IMP;
            case "click":
                return CLICK;
            case "conv":
                return CONV;
            default:
                return null;
        }
    }
}
