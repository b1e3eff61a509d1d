package adrank.udfs.event;

/** Why a raw row was quarantined. The code is what the quarantine output's reason column holds. */
public enum RejectReason {
    COLUMN_COUNT("column_count"),
    BAD_TIMESTAMP("bad_timestamp"),
    BAD_NUMBER("bad_number"),
    NEGATIVE_MONEY("negative_money"),
    UNKNOWN_EVENT("unknown_event"),
    EMPTY_KEY_COMPONENT("empty_key_component"),
    /** A descriptive column (request_id .. isp) holds bytes that are not well-formed UTF-8. */
    INVALID_UTF8("invalid_utf8"),
    /** A descriptive column holds a C0 control character (U+0000..U+001F) or DEL (U+007F). */
    CONTROL_CHARACTER("control_character"),
    /**
     * The optional {@code variant} column is not {@code experiment:arm:schema:vN}, or names an arm
     * without a {@code unit_id} (an assignment that cannot be clustered by unit).
     */
    BAD_VARIANT("bad_variant");

    private final String code;

    RejectReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
