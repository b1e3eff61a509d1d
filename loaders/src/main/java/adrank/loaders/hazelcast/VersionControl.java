package adrank.loaders.hazelcast;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The control record of one schema, the value of {@code rank.versions[<schema>]}: which version
 * ad servers read (active), where a rollback goes (previous), an optional A/B split, and what is
 * known about every version that still has maps.
 *
 * <p>Immutable. The transitions ({@link #begin}, {@link #commit}, {@link #activate}, ...) are pure
 * functions that either return the next record or throw {@link VersionControlException}; they run
 * inside an entry processor on the member that owns the key ({@link ControlUpdate}), so each is
 * atomic and concurrent publishers or operators can never interleave half an update. A
 * transition that changes nothing returns {@code this}.
 *
 * @param schema      the schema (also the map key)
 * @param createdAt   when the record was created by the first publish (epoch ms): tells a reader
 *                    that the record was re-created (a wiped cluster), so its revisions and
 *                    version numbers start over
 * @param active      the version ad servers read, 0 before the first publish
 * @param previous    rollback targets, most recent first (all READY)
 * @param bVersion    the B version of an A/B split, 0 when there is none
 * @param bShare      the share of traffic units on B within the scope, in (0, 1]
 * @param bScope      where the split applies ({@link Scope#text()}; "" = every key)
 * @param nextVersion the number the next publish gets
 * @param revision    incremented by every change (readers ignore out-of-order updates)
 * @param updatedAt   when it last changed (epoch ms)
 * @param versions    every version that may still have maps, by number
 */
public record VersionControl(String schema, long createdAt, int active, List<Integer> previous, int bVersion, double bShare,
        String bScope, int nextVersion, long revision, long updatedAt, List<VersionInfo> versions) {

    public VersionControl {
        previous = List.copyOf(previous);
        versions = versions.stream().sorted(Comparator.comparingInt(VersionInfo::version)).toList();
    }

    /** The record of a schema that was never published. */
    public static VersionControl empty(String schema) {
        return new VersionControl(schema, 0, 0, List.of(), 0, 0.0, "", 1, 0, 0, List.of());
    }

    public Optional<VersionInfo> version(int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }

    public Scope scope() {
        return Scope.parse(bScope);
    }

    /** Versions in a state, by number. */
    public List<Integer> inState(VersionState state) {
        return versions.stream().filter(v -> v.state() == state).map(VersionInfo::version).toList();
    }

    /** What {@code rank versions list} shows: newest first, with each version's role. */
    public List<VersionRow> rows() {
        List<VersionRow> rows = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            VersionInfo info = versions.get(i);
            rows.add(new VersionRow(info, role(info.version())));
        }
        return rows;
    }

    /** "active", "B", "previous" (a rollback target) or "" for a version. */
    public String role(int version) {
        if (version == active) {
            return "active";
        }
        if (version == bVersion) {
            return "B";
        }
        return previous.contains(version) ? "previous" : "";
    }

    // ---- transitions (pure; see the class comment) ----

    /**
     * A publish starts: drops every LOADING version (a killed publish) and FAILED one, and
     * allocates {@link #nextVersion} as LOADING. The caller destroys the dropped versions' maps.
     */
    VersionControl begin(long now) {
        return begin(now, null);
    }

    /** {@link #begin(long)}, recording how the new version's missing keys fall back ({@link VersionInfo#fallback()}). */
    VersionControl begin(long now, FallbackRule fallback) {
        List<VersionInfo> kept = new ArrayList<>();
        for (VersionInfo info : versions) {
            if (info.state() == VersionState.READY) {
                kept.add(info);
            }
        }
        kept.add(VersionInfo.loading(nextVersion, now, fallback));
        return new VersionControl(schema, createdAt == 0 ? now : createdAt, active, previous, bVersion, bShare, bScope, nextVersion + 1, revision + 1,
                now, kept);
    }

    /** A load or verification failed: the LOADING version becomes FAILED (never readable). */
    VersionControl fail(int version, String reason, long now) {
        VersionInfo info = require(version, VersionState.LOADING, "mark it failed");
        return withVersion(info.failed(reason), active, previous, bVersion, bShare, bScope, now);
    }

    /**
     * A verified load: the LOADING version becomes READY and active (the old active becomes the
     * first rollback target), then READY versions beyond {@code retain} are dropped (their maps
     * are destroyed by the caller).
     */
    VersionControl commit(int version, LoadResult entries, LoadResult parents, int retain, long now) {
        VersionInfo info = require(version, VersionState.LOADING, "commit it");
        VersionControl ready = withVersion(info.ready(entries, parents, now), active, previous, bVersion, bShare,
                bScope, now);
        VersionControl activated = ready.activate(version, now);
        return activated.retain(beyondRetention(activated, retain), now);
    }

    /**
     * Makes a READY version active. The old active becomes the first rollback target; if the new
     * active was the B version, the split ends (B was promoted).
     */
    VersionControl activate(int version, long now) {
        require(version, VersionState.READY, "activate it");
        if (version == active) {
            return this;
        }
        List<Integer> stack = new ArrayList<>(previous);
        stack.remove(Integer.valueOf(version));
        if (active != 0) {
            stack.add(0, active);
        }
        boolean promoted = version == bVersion;
        return new VersionControl(schema, createdAt, version, stack, promoted ? 0 : bVersion, promoted ? 0.0 : bShare,
                promoted ? "" : bScope, nextVersion, revision + 1, now, versions);
    }

    /** Makes the most recent rollback target active again (the current active is not kept as a target). */
    VersionControl rollback(long now) {
        if (previous.isEmpty()) {
            throw new VersionControlException("schema " + schema + ": no previous version to roll back to (active "
                    + name(active) + ")");
        }
        int target = previous.get(0);
        boolean promoted = target == bVersion;
        return new VersionControl(schema, createdAt, target, previous.subList(1, previous.size()), promoted ? 0 : bVersion,
                promoted ? 0.0 : bShare, promoted ? "" : bScope, nextVersion, revision + 1, now, versions);
    }

    /** Sends {@code share} of the traffic units within {@code scope} to READY version {@code b}. */
    VersionControl ab(int b, double share, Scope scope, long now) {
        require(b, VersionState.READY, "use it as B");
        if (b == active) {
            throw new VersionControlException("schema " + schema + ": v" + b + " is already active; B must differ");
        }
        if (!(share > 0.0 && share <= 1.0)) {
            throw new VersionControlException("B share must be in (0, 1], got " + share
                    + " (use ab-clear to end a split)");
        }
        if (b == bVersion && share == bShare && scope.text().equals(bScope)) {
            return this;
        }
        return new VersionControl(schema, createdAt, active, previous, b, share, scope.text(), nextVersion, revision + 1, now,
                versions);
    }

    /** Ends the A/B split: everyone reads the active version. */
    VersionControl abClear(long now) {
        if (bVersion == 0) {
            return this;
        }
        return new VersionControl(schema, createdAt, active, previous, 0, 0.0, "", nextVersion, revision + 1, now, versions);
    }

    /**
     * READY versions beyond {@code retain}: the active one and the newest others are kept up to
     * {@code retain} in all, and the B version is always kept as well. LOADING and FAILED
     * versions are not retention's business.
     */
    static Set<Integer> beyondRetention(VersionControl control, int retain) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be at least 1, got " + retain);
        }
        Set<Integer> keep = new HashSet<>();
        if (control.active != 0) {
            keep.add(control.active);
        }
        List<Integer> ready = new ArrayList<>(control.inState(VersionState.READY));
        ready.sort(Comparator.reverseOrder());
        for (int version : ready) {
            if (keep.size() >= retain) {
                break;
            }
            keep.add(version);
        }
        if (control.bVersion != 0) {
            keep.add(control.bVersion);
        }
        Set<Integer> drop = new HashSet<>(ready);
        drop.removeAll(keep);
        return drop;
    }

    private VersionControl retain(Set<Integer> drop, long now) {
        if (drop.isEmpty()) {
            return this;
        }
        List<VersionInfo> kept = versions.stream().filter(v -> !drop.contains(v.version())).toList();
        List<Integer> stack = previous.stream().filter(v -> !drop.contains(v)).toList();
        return new VersionControl(schema, createdAt, active, stack, bVersion, bShare, bScope, nextVersion, revision + 1, now,
                kept);
    }

    private VersionInfo require(int version, VersionState state, String purpose) {
        VersionInfo info = version(version).orElseThrow(() -> new VersionControlException("schema " + schema
                + " has no version " + version + " (known: " + known() + "); cannot " + purpose));
        if (info.state() != state) {
            throw new VersionControlException("schema " + schema + ": v" + version + " is " + info.state() + ", not "
                    + state + "; cannot " + purpose);
        }
        return info;
    }

    private VersionControl withVersion(VersionInfo changed, int newActive, List<Integer> newPrevious, int b,
            double share, String scope, long now) {
        List<VersionInfo> next = new ArrayList<>(versions.size());
        for (VersionInfo info : versions) {
            next.add(info.version() == changed.version() ? changed : info);
        }
        return new VersionControl(schema, createdAt, newActive, newPrevious, b, share, scope, nextVersion, revision + 1, now,
                next);
    }

    private String known() {
        return versions.isEmpty() ? "none"
                : String.join(", ", versions.stream().map(v -> "v" + v.version() + " " + v.state()).toList());
    }

    /** "v3", or "none" for 0. */
    static String name(int version) {
        return version == 0 ? "none" : "v" + version;
    }

    /**
     * One line of {@code rank versions list}.
     *
     * @param info the version
     * @param role "active", "B", "previous" or ""
     */
    public record VersionRow(VersionInfo info, String role) {
    }
}
