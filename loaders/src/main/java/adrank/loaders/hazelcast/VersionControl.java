package adrank.loaders.hazelcast;

import java.time.Instant;
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
 * @param bVersion    the B version of the experiment (in {@code bSchema}); 0 when there is none, or
 *                    when B follows {@code bSchema}'s active version
 * @param bShare      the share of traffic units on B within the scope, in (0, 1]
 * @param bScope      where the split applies ({@link Scope#text()}; "" = every key)
 * @param nextVersion the number the next publish gets
 * @param revision    incremented by every change (readers ignore out-of-order updates)
 * @param updatedAt   when it last changed (epoch ms)
 * @param versions    every version that may still have maps, by number
 * @param experiment  the running experiment's name ("" none); it and its salt outlive version numbers
 * @param salt        the experiment's hash salt ({@code UnitSplit}); defaults to the name
 * @param bSchema     the schema B is read from; "" = this schema
 * @param staged      versions loaded by {@code publish --stage}: READY, not active, kept until activated
 * @param pinnedBy    who pinned the schema ("rollback", a user), "" when not pinned: while pinned,
 *                    publishes load and verify but do not activate
 * @param pinReason   why it was pinned
 * @param pinnedAt    since when (epoch ms)
 * @param holds       versions of this schema read as B by other schemas' experiments,
 *                    {@code <schema>=<version>}: retention keeps them
 */
public record VersionControl(String schema, long createdAt, int active, List<Integer> previous, int bVersion, double bShare,
        String bScope, int nextVersion, long revision, long updatedAt, List<VersionInfo> versions, String experiment,
        String salt, String bSchema, List<Integer> staged, String pinnedBy, String pinReason, long pinnedAt,
        List<String> holds) {

    public VersionControl {
        previous = List.copyOf(previous);
        versions = versions.stream().sorted(Comparator.comparingInt(VersionInfo::version)).toList();
        experiment = experiment == null ? "" : experiment;
        bSchema = bSchema == null || bSchema.equals(schema) ? "" : bSchema;
        // a split written before experiments had names (an older control record) becomes the
        // experiment its B version would have been called by `versions ab --b N` now
        if (experiment.isEmpty() && bVersion != 0) {
            experiment = defaultExperiment(schema, bVersion);
        }
        salt = salt == null || salt.isEmpty() ? experiment : salt;
        staged = staged == null ? List.of() : staged.stream().sorted().toList();
        pinnedBy = pinnedBy == null ? "" : pinnedBy;
        pinReason = pinReason == null ? "" : pinReason;
        holds = holds == null ? List.of() : holds.stream().sorted().toList();
    }

    /** A record as written before staging, pins and named experiments (older publishers, tests). */
    public VersionControl(String schema, long createdAt, int active, List<Integer> previous, int bVersion, double bShare,
            String bScope, int nextVersion, long revision, long updatedAt, List<VersionInfo> versions) {
        this(schema, createdAt, active, previous, bVersion, bShare, bScope, nextVersion, revision, updatedAt, versions,
                "", "", "", List.of(), "", "", 0, List.of());
    }

    /** The record of a schema that was never published. */
    public static VersionControl empty(String schema) {
        return new VersionControl(schema, 0, 0, List.of(), 0, 0.0, "", 1, 0, 0, List.of());
    }

    /**
     * The experiment name {@code versions ab --b N} uses when none is given and none runs:
     * {@code <schema>-v<N>}, so a new B draws a new group of units, as splits did before names.
     */
    public static String defaultExperiment(String schema, int bVersion) {
        return schema + "-v" + bVersion;
    }

    public Optional<VersionInfo> version(int version) {
        return versions.stream().filter(v -> v.version() == version).findFirst();
    }

    public Scope scope() {
        return Scope.parse(bScope);
    }

    /** Whether an experiment (A/B split) runs. */
    public boolean hasExperiment() {
        return !experiment.isEmpty();
    }

    /** The schema B is read from: this one, or another (an experiment backfilled into its own schema). */
    public String bSchemaName() {
        return bSchema.isEmpty() ? schema : bSchema;
    }

    /** Whether B follows the active version of {@link #bSchema} (refreshed by that schema's publishes). */
    public boolean bFollows() {
        return hasExperiment() && bVersion == 0;
    }

    /** The B version when it is a version of this schema, else 0. */
    int ownB() {
        return hasExperiment() && bSchema.isEmpty() ? bVersion : 0;
    }

    /**
     * The B share the servers route {@code name} by, for an A/B readout's sample-ratio check: empty
     * unless it is the experiment running now (an ended experiment leaves no trace here).
     */
    public java.util.OptionalDouble shareOf(String name) {
        return hasExperiment() && experiment.equals(name) ? java.util.OptionalDouble.of(bShare)
                : java.util.OptionalDouble.empty();
    }

    public boolean pinned() {
        return !pinnedBy.isEmpty();
    }

    /** Versions of this schema held by experiments of other schemas (their B), ascending, no repeats. */
    public List<Integer> heldVersions() {
        return holds.stream().map(VersionControl::holdVersion).distinct().sorted().toList();
    }

    /** The holds' text form: {@code <holding schema>=<version>}. */
    static String hold(String holder, int version) {
        return holder + "=" + version;
    }

    static String holder(String hold) {
        return hold.substring(0, hold.lastIndexOf('='));
    }

    static int holdVersion(String hold) {
        return Integer.parseInt(hold.substring(hold.lastIndexOf('=') + 1));
    }

    /** Versions in a state, by number. */
    public List<Integer> inState(VersionState state) {
        return versions.stream().filter(v -> v.state() == state).map(VersionInfo::version).toList();
    }

    /** What {@code rank versions list} shows: newest first, with each version's role and why a READY one is not active. */
    public List<VersionRow> rows() {
        List<VersionRow> rows = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            VersionInfo info = versions.get(i);
            rows.add(new VersionRow(info, role(info.version()), whyNotActive(info)));
        }
        return rows;
    }

    /** "active", "B", "previous" (a rollback target), "staged", "held" (B of another schema's experiment) or "". */
    public String role(int version) {
        if (version == active) {
            return "active";
        }
        if (version == ownB()) {
            return "B";
        }
        if (staged.contains(version)) {
            return "staged";
        }
        if (heldVersions().contains(version)) {
            return "held";
        }
        return previous.contains(version) ? "previous" : "";
    }

    /**
     * Why a READY version is not active, for {@code versions list}: "" for the active one and for
     * versions that are not READY.
     */
    public String whyNotActive(VersionInfo info) {
        int version = info.version();
        if (info.state() != VersionState.READY || version == active) {
            return "";
        }
        List<String> why = new ArrayList<>();
        if (version == ownB()) {
            why.add("B of experiment " + experiment + " (" + Change.percent(bShare) + " of units"
                    + (bScope.isEmpty() ? "" : " within " + bScope) + ")");
        }
        for (String hold : holds) {
            if (holdVersion(hold) == version) {
                why.add("B of schema " + holder(hold) + "'s experiment");
            }
        }
        if (staged.contains(version)) {
            why.add("staged by publish --stage; `versions activate " + version + "` promotes it");
        }
        if (previous.contains(version)) {
            why.add("rollback target");
        }
        if (version > active && !staged.contains(version) && version != ownB()) {
            why.add(pinned() ? "schema pinned since " + Instant.ofEpochMilli(pinnedAt) + " by " + pinnedBy
                    + (pinReason.isEmpty() ? "" : " (" + pinReason + ")")
                    : "loaded while the schema was pinned; the next publish or `versions activate " + version
                            + "` activates");
        }
        return why.isEmpty() ? "" : "not active: " + String.join("; ", why);
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
        Next next = next(now);
        next.createdAt = createdAt == 0 ? now : createdAt;
        next.nextVersion = nextVersion + 1;
        next.versions = kept;
        return next.build();
    }

    /** A load or verification failed: the LOADING version becomes FAILED (never readable). */
    VersionControl fail(int version, String reason, long now) {
        VersionInfo info = require(version, VersionState.LOADING, "mark it failed");
        return withVersion(info.failed(reason), now);
    }

    /** {@link #commit(int, LoadResult, LoadResult, int, boolean, long)} of a scheduled (not staged) publish. */
    VersionControl commit(int version, LoadResult entries, LoadResult parents, int retain, long now) {
        return commit(version, entries, parents, retain, false, now);
    }

    /**
     * A verified load: the LOADING version becomes READY. A scheduled publish then makes it active
     * (the old active becomes the first rollback target) unless the schema is pinned, when it
     * stays READY and {@link #whyNotActive} says why; a staged one ({@code stage}) is only
     * recorded as staged. Finally READY versions beyond {@code retain} are dropped (their maps are
     * destroyed by the caller); see {@link #beyondRetention}.
     */
    VersionControl commit(int version, LoadResult entries, LoadResult parents, int retain, boolean stage, long now) {
        VersionInfo info = require(version, VersionState.LOADING, "commit it");
        VersionControl ready = withVersion(info.ready(entries, parents, now), now);
        VersionControl after;
        if (stage) {
            Next next = ready.next(now);
            next.staged.add(version);
            after = next.build();
        } else if (pinned()) {
            after = ready;
        } else {
            after = ready.activate(version, now);
        }
        return after.retain(beyondRetention(after, retain), now);
    }

    /**
     * Makes a READY version active (an operator's explicit choice, so it is allowed while pinned
     * and keeps the pin). The old active becomes the first rollback target; a staged version stops
     * being staged; if the new active was the B version of this schema, the experiment ends (B was
     * promoted).
     */
    VersionControl activate(int version, long now) {
        require(version, VersionState.READY, "activate it");
        if (version == active) {
            return this;
        }
        Next next = next(now);
        next.previous.remove(Integer.valueOf(version));
        if (active != 0) {
            next.previous.add(0, active);
        }
        next.active = version;
        next.staged.remove(Integer.valueOf(version));
        if (version == ownB()) {
            next.endExperiment();
        }
        return next.build();
    }

    /**
     * Makes the most recent rollback target active again (the current active is not kept as a
     * target) and pins the schema, so the next scheduled publish does not silently undo the
     * rollback (an existing pin is kept as it was).
     */
    VersionControl rollback(long now) {
        if (previous.isEmpty()) {
            throw new VersionControlException("schema " + schema + ": no previous version to roll back to (active "
                    + name(active) + ")");
        }
        int target = previous.get(0);
        Next next = next(now);
        next.active = target;
        next.previous.remove(0);
        if (target == ownB()) {
            next.endExperiment();
        }
        if (!pinned()) {
            next.pinnedBy = "rollback";
            next.pinReason = "rolled back from " + name(active) + " to " + name(target);
            next.pinnedAt = now;
        }
        return next.build();
    }

    /**
     * A staged version is no longer wanted: it stays READY but is an ordinary version for
     * retention again (the next publish may drop it). Refused for a version that is not staged.
     */
    VersionControl unstage(int version, long now) {
        if (!staged.contains(version)) {
            throw new VersionControlException("schema " + schema + ": " + name(version) + " is not staged (staged: "
                    + (staged.isEmpty() ? "none" : staged.stream().map(VersionControl::name).toList()) + ")");
        }
        Next next = next(now);
        next.staged.remove(Integer.valueOf(version));
        return next.build();
    }

    /** Pins the schema: publishes load and verify but do not activate until {@link #unpin}. Re-pinning replaces who/why. */
    VersionControl pin(String by, String reason, long now) {
        if (by == null || by.isBlank()) {
            throw new VersionControlException("a pin needs who pins (got none)");
        }
        if (by.equals(pinnedBy) && reason.equals(pinReason)) {
            return this;
        }
        Next next = next(now);
        next.pinnedBy = by;
        next.pinReason = reason == null ? "" : reason;
        next.pinnedAt = pinned() ? pinnedAt : now;
        return next.build();
    }

    /**
     * Lifts the pin. Nothing switches by itself: the active version stays; the next scheduled
     * publish activates its own new version (or an operator runs {@code versions activate N}).
     */
    VersionControl unpin(long now) {
        if (!pinned()) {
            return this;
        }
        Next next = next(now);
        next.pinnedBy = "";
        next.pinReason = "";
        next.pinnedAt = 0;
        return next.build();
    }

    /** {@link #ab(String, String, String, int, double, Scope, long)} with B a version of this schema. */
    VersionControl ab(int b, double share, Scope scope, long now) {
        return ab("", "", "", b, share, scope, now);
    }

    /**
     * Starts an experiment, or changes the running one's B, share or scope: {@code share} of the
     * traffic units within {@code scope} read B. A unit's arm depends only on the experiment's salt,
     * its id and the share ({@code UnitSplit}), so refreshing A or B moves no unit and raising the
     * share only adds units to B.
     *
     * @param name    the experiment; "" continues the running one, or starts
     *                {@link #defaultExperiment} when none runs ({@code <schema>-<bSchema>} when B
     *                follows another schema). Another name than the running
     *                one's ends that one and starts a new, independent group
     * @param salt    the hash salt; "" keeps the running one's, or is the name for a new one. A
     *                running experiment's salt cannot change (that would reshuffle its units)
     * @param bSchema the schema B is read from; "" or this schema for a version of this one
     * @param b       B's version in {@code bSchema}; 0 (only with another schema): follow that
     *                schema's active version. Whether another schema's version is READY is that
     *                schema's record's business ({@link #hold})
     */
    VersionControl ab(String name, String salt, String bSchema, int b, double share, Scope scope, long now) {
        String otherSchema = bSchema == null || bSchema.equals(schema) ? "" : bSchema;
        if (otherSchema.isEmpty()) {
            if (b == 0) {
                throw new VersionControlException("schema " + schema + ": B needs a version (--b N), or another "
                        + "schema (--b-schema S) to follow");
            }
            require(b, VersionState.READY, "use it as B");
            if (b == active) {
                throw new VersionControlException("schema " + schema + ": v" + b + " is already active; B must differ");
            }
        } else if (b < 0) {
            throw new VersionControlException("B version must be 0 (follow " + otherSchema + ") or more, got " + b);
        }
        if (!(share > 0.0 && share <= 1.0)) {
            throw new VersionControlException("B share must be in (0, 1], got " + share
                    + " (use ab-clear to end a split)");
        }
        String experimentName = name == null || name.isEmpty()
                ? (hasExperiment() ? experiment
                        : b == 0 ? schema + "-" + otherSchema : defaultExperiment(schema, b)) : name;
        if (!adrank.udfs.experiment.Variant.EXPERIMENT_NAME.matcher(experimentName).matches()) {
            throw new VersionControlException("experiment name must match "
                    + adrank.udfs.experiment.Variant.EXPERIMENT_NAME + ", got '" + experimentName + "'");
        }
        boolean continuing = experimentName.equals(experiment);
        String experimentSalt = salt == null || salt.isEmpty() ? (continuing ? this.salt : experimentName) : salt;
        if (continuing && !experimentSalt.equals(this.salt)) {
            throw new VersionControlException("experiment " + experiment + " runs with salt '" + this.salt
                    + "'; changing it would move units between arms. End it (ab-clear) or use a new experiment name");
        }
        if (continuing && b == bVersion && otherSchema.equals(this.bSchema) && share == bShare
                && scope.text().equals(bScope)) {
            return this;
        }
        Next next = next(now);
        next.experiment = experimentName;
        next.salt = experimentSalt;
        next.bSchema = otherSchema;
        next.bVersion = b;
        next.bShare = share;
        next.bScope = scope.text();
        return next.build();
    }

    /** Ends the experiment: everyone reads the active version. */
    VersionControl abClear(long now) {
        if (!hasExperiment()) {
            return this;
        }
        Next next = next(now);
        next.endExperiment();
        return next.build();
    }

    /**
     * Schema {@code holder}'s experiment reads READY version {@code version} of this schema as its
     * B: retention keeps it until {@link #release}. One hold per holding schema (a new one replaces it).
     */
    VersionControl hold(String holder, int version, long now) {
        require(version, VersionState.READY, "hold it as B of schema " + holder + "'s experiment");
        String hold = hold(holder, version);
        if (holds.contains(hold)) {
            return this;
        }
        Next next = next(now);
        next.holds.removeIf(h -> holder(h).equals(holder));
        next.holds.add(hold);
        return next.build();
    }

    /** Schema {@code holder}'s experiment no longer reads a version of this schema. */
    VersionControl release(String holder, long now) {
        if (holds.stream().noneMatch(h -> holder(h).equals(holder))) {
            return this;
        }
        Next next = next(now);
        next.holds.removeIf(h -> holder(h).equals(holder));
        return next.build();
    }

    /**
     * READY versions beyond {@code retain}: the active one and the newest others are kept up to
     * {@code retain} in all; the B version of this schema's experiment, staged versions and
     * versions held by other schemas' experiments are always kept as well (the active one is also
     * the pinned one). LOADING and FAILED versions are not retention's business.
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
        if (control.ownB() != 0) {
            keep.add(control.ownB());
        }
        keep.addAll(control.staged);
        keep.addAll(control.heldVersions());
        Set<Integer> drop = new HashSet<>(ready);
        drop.removeAll(keep);
        return drop;
    }

    private VersionControl retain(Set<Integer> drop, long now) {
        if (drop.isEmpty()) {
            return this;
        }
        Next next = next(now);
        next.versions.removeIf(v -> drop.contains(v.version()));
        next.previous.removeIf(drop::contains);
        return next.build();
    }

    private Next next(long now) {
        return new Next(now);
    }

    /** A copy to change field by field; {@link #build} increments the revision. */
    private final class Next {
        final long now;
        long createdAt = VersionControl.this.createdAt;
        int active = VersionControl.this.active;
        final List<Integer> previous = new ArrayList<>(VersionControl.this.previous);
        int bVersion = VersionControl.this.bVersion;
        double bShare = VersionControl.this.bShare;
        String bScope = VersionControl.this.bScope;
        int nextVersion = VersionControl.this.nextVersion;
        List<VersionInfo> versions = new ArrayList<>(VersionControl.this.versions);
        String experiment = VersionControl.this.experiment;
        String salt = VersionControl.this.salt;
        String bSchema = VersionControl.this.bSchema;
        final List<Integer> staged = new ArrayList<>(VersionControl.this.staged);
        String pinnedBy = VersionControl.this.pinnedBy;
        String pinReason = VersionControl.this.pinReason;
        long pinnedAt = VersionControl.this.pinnedAt;
        final List<String> holds = new ArrayList<>(VersionControl.this.holds);

        Next(long now) {
            this.now = now;
        }

        void endExperiment() {
            experiment = "";
            salt = "";
            bSchema = "";
            bVersion = 0;
            bShare = 0.0;
            bScope = "";
        }

        VersionControl build() {
            return new VersionControl(schema, createdAt, active, previous, bVersion, bShare, bScope, nextVersion,
                    revision + 1, now, versions, experiment, salt, bSchema, staged, pinnedBy, pinReason, pinnedAt,
                    holds);
        }
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

    private VersionControl withVersion(VersionInfo changed, long now) {
        Next next = next(now);
        next.versions.replaceAll(info -> info.version() == changed.version() ? changed : info);
        return next.build();
    }

    private String known() {
        return versions.isEmpty() ? "none"
                : String.join(", ", versions.stream().map(v -> "v" + v.version() + " " + v.state()).toList());
    }

    /** "v3", or "none" for 0. */
    public static String name(int version) {
        return version == 0 ? "none" : "v" + version;
    }

    /**
     * One line of {@code rank versions list}.
     *
     * @param info the version
     * @param role "active", "B", "staged", "previous", "held" or ""
     * @param whyNotActive for a READY version that is not active, why ({@link VersionControl#whyNotActive}); else ""
     */
    public record VersionRow(VersionInfo info, String role, String whyNotActive) {

        public VersionRow(VersionInfo info, String role) {
            this(info, role, "");
        }
    }
}
