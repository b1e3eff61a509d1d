package adrank.loaders.hazelcast;

import java.util.Locale;

/**
 * Which snapshot version of a schema a command means: a number ({@code 3} or {@code v3}), or a
 * role read from the schema's control record when the command runs: {@code active}, {@code previous}
 * (the first rollback target) or {@code b} (the B version of the A/B split). Parsing is pure and
 * checked on the command line; {@link #resolve} needs the control record.
 *
 * @param number the version number, or 0 for a role
 * @param role   "active", "previous" or "b"; null for a number
 */
public record VersionRef(int number, String role) {

    /**
     * @throws IllegalArgumentException unless the text is a version number >= 1 (optionally with a
     *                                  leading v) or one of the roles
     */
    public static VersionRef parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("active") || t.equals("previous") || t.equals("b")) {
            return new VersionRef(0, t);
        }
        String digits = t.startsWith("v") ? t.substring(1) : t;
        if (!digits.isEmpty() && digits.length() <= 9 && digits.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(digits);
            if (n >= 1) {
                return new VersionRef(n, null);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a version: give a number (3 or v3, as in "
                + "`versions list`), active, previous or b");
    }

    /**
     * The version number this reference means in {@code control}.
     *
     * @throws VersionControlException when the role has no version (nothing active, no rollback
     *                                 target, no A/B split) or the number is not a READY version
     */
    public int resolve(VersionControl control) {
        int version = switch (role == null ? "" : role) {
            case "" -> number;
            case "active" -> control.active();
            case "previous" -> control.previous().isEmpty() ? 0 : control.previous().get(0);
            case "b" -> control.bVersion();
            default -> throw new IllegalStateException(role);
        };
        if (version == 0) {
            throw new VersionControlException("schema " + control.schema() + " has no " + describe(role) + " version ("
                    + known(control) + ")");
        }
        VersionInfo info = control.version(version).orElseThrow(() -> new VersionControlException("schema "
                + control.schema() + " has no version " + version + " (" + known(control) + ")"));
        if (info.state() != VersionState.READY) {
            throw new VersionControlException("schema " + control.schema() + ": v" + version + " is " + info.state()
                    + ", not READY (" + known(control) + ")");
        }
        return version;
    }

    private static String describe(String role) {
        return switch (role) {
            case "b" -> "B (no A/B split)";
            case "previous" -> "previous (no rollback target)";
            default -> role;
        };
    }

    private static String known(VersionControl control) {
        return control.versions().isEmpty() ? "no versions; was it ever published?"
                : "known: " + String.join(", ", control.versions().stream().map(v -> "v" + v.version() + " "
                        + v.state() + (control.role(v.version()).isEmpty() ? "" : " " + control.role(v.version())))
                        .toList());
    }

    @Override
    public String toString() {
        return role == null ? "v" + number : role;
    }
}
