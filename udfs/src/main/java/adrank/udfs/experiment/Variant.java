package adrank.udfs.experiment;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What answered a request that was part of an experiment, as an ad server logs it in the raw
 * events' optional {@code variant} column: {@code <experiment>:<arm>:<schema>:v<version>}, e.g.
 * {@code mx-cpm:B:exp_mx:v12}. The readout groups by experiment and arm; the schema and version say
 * exactly which snapshot answered (B may come from another schema and be refreshed while the
 * experiment runs, so one arm may log several versions). A request outside any experiment (no
 * split, or its key outside the split's scope) logs an empty variant; {@link #parse} returns null
 * for it.
 *
 * @param experiment the experiment's name ({@code [A-Za-z0-9._-]{1,64}})
 * @param arm        A (control: the schema's active version) or B
 * @param schema     the schema whose snapshot answered
 * @param version    the snapshot version that answered (≥ 1)
 */
public record Variant(String experiment, Arm arm, String schema, int version) {

    /** The arms of an experiment. */
    public enum Arm { A, B }

    public static final Pattern EXPERIMENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TEXT = Pattern.compile("([A-Za-z0-9._-]{1,64}):(A|B):([a-z][a-z0-9_]{0,31}):v([1-9][0-9]{0,9})");

    public Variant {
        if (experiment == null || !EXPERIMENT_NAME.matcher(experiment).matches()) {
            throw new IllegalArgumentException("experiment name must match " + EXPERIMENT_NAME + ", got " + experiment);
        }
        if (arm == null) {
            throw new IllegalArgumentException("arm is required");
        }
        if (schema == null || !schema.matches("[a-z][a-z0-9_]{0,31}")) {
            throw new IllegalArgumentException("schema must match [a-z][a-z0-9_]{0,31}, got " + schema);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, got " + version);
        }
    }

    /** The logged text, {@code experiment:arm:schema:vN}. */
    public String text() {
        return experiment + ":" + arm + ":" + schema + ":v" + version;
    }

    /**
     * The variant of a logged value: null for null or "" (not in an experiment).
     *
     * @throws IllegalArgumentException for any other text that is not {@code experiment:arm:schema:vN}
     */
    public static Variant parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches() || Long.parseLong(m.group(4)) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("variant '" + text + "' is not experiment:arm:schema:vN "
                    + "(e.g. mx-cpm:B:exp_mx:v12)");
        }
        return new Variant(m.group(1), Arm.valueOf(m.group(2)), m.group(3), Integer.parseInt(m.group(4)));
    }

    @Override
    public String toString() {
        return text();
    }
}
