package adrank.loaders.hazelcast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one version operation did to a schema's control record, for the CLI to print and for
 * the publisher to act on (maps of dropped versions are destroyed).
 *
 * @param before the record before (an empty record if there was none)
 * @param after  the record after (the same object when nothing changed)
 */
public record Change(VersionControl before, VersionControl after) {

    public boolean changed() {
        return before.revision() != after.revision();
    }

    /** Versions the operation removed from the record, ascending. */
    public List<Integer> dropped() {
        List<Integer> dropped = new ArrayList<>();
        for (VersionInfo info : before.versions()) {
            if (after.version(info.version()).isEmpty()) {
                dropped.add(info.version());
            }
        }
        return dropped;
    }

    /** Human-readable differences, one per line; empty when nothing changed. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        String schema = after.schema();
        if (before.active() != after.active()) {
            lines.add(schema + ": active " + VersionControl.name(before.active()) + " -> "
                    + VersionControl.name(after.active()));
        }
        if (!before.previous().equals(after.previous())) {
            lines.add(schema + ": rollback targets " + names(before.previous()) + " -> " + names(after.previous()));
        }
        String beforeB = split(before);
        String afterB = split(after);
        if (!beforeB.equals(afterB)) {
            lines.add(schema + ": " + beforeB + " -> " + afterB);
        }
        if (!pin(before).equals(pin(after))) {
            lines.add(schema + ": pin " + pin(before) + " -> " + pin(after));
        }
        if (!before.staged().equals(after.staged())) {
            lines.add(schema + ": staged " + names(before.staged()) + " -> " + names(after.staged()));
        }
        if (!before.holds().equals(after.holds())) {
            lines.add(schema + ": held as B by other schemas " + before.holds() + " -> " + after.holds());
        }
        Map<Integer, VersionInfo> all = new TreeMap<>();
        before.versions().forEach(v -> all.put(v.version(), v));
        after.versions().forEach(v -> all.put(v.version(), v));
        for (int version : all.keySet()) {
            VersionInfo was = before.version(version).orElse(null);
            VersionInfo now = after.version(version).orElse(null);
            if (was == null) {
                lines.add(schema + ": v" + version + " " + now.state() + describe(now));
            } else if (now == null) {
                lines.add(schema + ": v" + version + " dropped (was " + was.state() + ", maps destroyed)");
            } else if (was.state() != now.state()) {
                lines.add(schema + ": v" + version + " " + was.state() + " -> " + now.state() + describe(now));
            }
        }
        return lines;
    }

    private static String describe(VersionInfo info) {
        return switch (info.state()) {
            case READY -> " (" + info.entries() + " entries, checksum " + LoadResult.hex(info.checksum()) + "; "
                    + info.parentEntries() + " parents)";
            case FAILED -> " (" + info.note() + ")";
            case LOADING -> "";
        };
    }

    private static String split(VersionControl control) {
        if (!control.hasExperiment()) {
            return "no experiment";
        }
        return describeExperiment(control);
    }

    /** "experiment mx-cpm (salt s1): B = exp_mx v12 for 50% of units (geo=MX)". */
    public static String describeExperiment(VersionControl control) {
        String scope = control.bScope().isEmpty() ? "all keys" : control.bScope();
        String b = control.bFollows() ? "the active version of " + control.bSchema()
                : (control.bSchema().isEmpty() ? "" : control.bSchema() + " ") + "v" + control.bVersion();
        return "experiment " + control.experiment()
                + (control.salt().equals(control.experiment()) ? "" : " (salt " + control.salt() + ")") + ": B = " + b
                + " for " + percent(control.bShare()) + " of units (" + scope + ")";
    }

    private static String pin(VersionControl control) {
        return control.pinned() ? "pinned by " + control.pinnedBy()
                + (control.pinReason().isEmpty() ? "" : " (" + control.pinReason() + ")") : "none";
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.4g%%", share * 100).replaceAll("\\.?0+%$", "%");
    }

    private static String names(List<Integer> versions) {
        return versions.stream().map(VersionControl::name).toList().toString();
    }
}
