package adrank.testdata;

import adrank.udfs.experiment.UnitSplit;
import adrank.udfs.experiment.Variant;
import java.util.List;
import java.util.Objects;

/**
 * A simulated running experiment: every request belongs to a traffic unit ({@code u<index>}, drawn
 * uniformly from a population of {@code units}, so a unit makes many requests over the hours and
 * clustering by unit matters), and requests whose key is inside the scope are logged with the arm
 * the unit is routed to: B iff {@link UnitSplit#inB}{@code (salt, unit, loggedBShare)}, exactly the
 * reader's rule. Requests outside the scope log an empty variant.
 *
 * <p>The truth: B-arm events inside the scope carry their revenue times {@code 1 + lift} (every
 * billing type, so CPM, whatever the line its billing puts revenue on, is lifted by exactly
 * {@code lift} in expectation; clicks, conversions and values are untouched, so CTR, CVR and VPC
 * have a true lift of 0). {@code lift = 0} is an A/A run. {@code loggedBShare} different from
 * {@code bShare} simulates a broken split (the design says 50 %, the servers log B for 45 %).
 *
 * @param name           experiment name, as logged in the variant
 * @param salt           the experiment's unit salt
 * @param schema         the schema both arms log
 * @param aVersion       the version A logs
 * @param bVersion       the version B logs
 * @param bShare         the design's B share (what the readout's SRM check expects)
 * @param loggedBShare   the share of units the servers really route to B
 * @param lift           B's true relative CPM lift inside the scope
 * @param scopeDimension a key dimension of the scope (geo, device, os, browser, connection), or null for all traffic
 * @param scopeValue     its value
 * @param units          the population of traffic units
 */
public record ExperimentSettings(String name, String salt, String schema, int aVersion, int bVersion, double bShare,
        double loggedBShare, double lift, String scopeDimension, String scopeValue, int units) {

    public static final List<String> SCOPE_DIMENSIONS = List.of("geo", "device", "os", "browser", "connection");
    public static final int MAX_UNITS = 10_000_000;

    public ExperimentSettings {
        // Variant validates name, schema and versions
        new Variant(name, Variant.Arm.A, schema, aVersion);
        new Variant(name, Variant.Arm.B, schema, bVersion);
        Objects.requireNonNull(salt, "salt must not be null");
        if (!(bShare > 0 && bShare < 1) || !(loggedBShare > 0 && loggedBShare < 1)) {
            throw new IllegalArgumentException("bShare must be between 0 and 1 (exclusive), got " + bShare
                    + " (logged " + loggedBShare + ")");
        }
        if (!(lift > -1 && lift <= 10)) {
            throw new IllegalArgumentException("lift must be between -1 (exclusive) and 10, got " + lift);
        }
        if ((scopeDimension == null) != (scopeValue == null)
                || scopeDimension != null && !SCOPE_DIMENSIONS.contains(scopeDimension)) {
            throw new IllegalArgumentException("scope must be one of " + SCOPE_DIMENSIONS + "=VALUE, got "
                    + scopeDimension + "=" + scopeValue);
        }
        if (units < 2 || units > MAX_UNITS) {
            throw new IllegalArgumentException("units must be between 2 and " + MAX_UNITS + ", got " + units);
        }
    }

    /** A 50/50 experiment named {@code name} (salt = name) on schema default v1 vs v2, CPM lift {@code lift} in geo=MX. */
    public static ExperimentSettings of(String name, double lift, int units) {
        return new ExperimentSettings(name, name, "default", 1, 2, 0.5, 0.5, lift, "geo", "MX", units);
    }

    public ExperimentSettings withSalt(String value) {
        return new ExperimentSettings(name, value, schema, aVersion, bVersion, bShare, loggedBShare, lift,
                scopeDimension, scopeValue, units);
    }

    public ExperimentSettings withLoggedBShare(double value) {
        return new ExperimentSettings(name, salt, schema, aVersion, bVersion, bShare, value, lift, scopeDimension,
                scopeValue, units);
    }

    /** The unit id of unit {@code index}. */
    public static String unitId(int index) {
        return "u" + index;
    }

    /** The logged variant texts of A and B. */
    public String variantText(boolean b) {
        return new Variant(name, b ? Variant.Arm.B : Variant.Arm.A, schema, b ? bVersion : aVersion).text();
    }

    /** Whether a key's combination is inside the scope. */
    boolean inScope(Dimensions.Combination c) {
        if (scopeDimension == null) {
            return true;
        }
        String value = switch (scopeDimension) {
            case "geo" -> c.geo().code();
            case "device" -> c.device().name();
            case "os" -> c.os();
            case "browser" -> c.browser();
            case "connection" -> c.connection();
            default -> throw new IllegalStateException(scopeDimension);
        };
        return value.equals(scopeValue);
    }

    /** The arm of every unit of the population (B = true), by the reader's rule at the logged share. */
    boolean[] unitsInB() {
        boolean[] inB = new boolean[units];
        for (int i = 0; i < units; i++) {
            inB[i] = UnitSplit.inB(salt, unitId(i), loggedBShare);
        }
        return inB;
    }
}
