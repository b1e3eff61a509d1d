package adrank.loaders.hazelcast;

import adrank.udfs.experiment.UnitSplit;
import adrank.udfs.experiment.Variant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Which snapshot a request reads, as a reader last saw the control records. Pure and immutable: a
 * lookup takes one {@code Routing} and reads only the maps of the {@link Target} it resolves, so a
 * switch in the middle of a lookup can never mix versions.
 *
 * <p>During an experiment a unit's arm is {@link UnitSplit#inB}(salt, unit, share) and whether the
 * key is within the scope: nothing else. Refreshing A (this schema's publishes) or B (another
 * schema's publishes that B follows) changes the version an arm reads, never a unit's arm.
 *
 * @param schema      the schema read (A)
 * @param active      its active version (0: nothing published yet)
 * @param experiment  the running experiment ("" none)
 * @param salt        its salt
 * @param share       share of traffic units on B within the scope
 * @param scope       where the experiment applies
 * @param bSchema     the schema B is read from ({@code schema} or another)
 * @param b           B's version in {@code bSchema}; 0 when there is no experiment, or B follows a
 *                    schema whose record the reader has not read (or which has no active version)
 * @param incarnation when the A schema's control record was created ({@link VersionControl#createdAt})
 * @param revision    the A schema's control record's revision
 * @param fallbacks   the recorded {@link FallbackRule} of this schema's live versions that have one
 * @param bFallback   the rule recorded with B (from B's own schema's record), or null
 */
public record Routing(String schema, int active, String experiment, String salt, double share, Scope scope,
        String bSchema, int b, long incarnation, long revision, Map<Integer, FallbackRule> fallbacks,
        FallbackRule bFallback) {

    /** Before anything was published (or after the control entry was removed). */
    public static final Routing NONE = new Routing("", 0, "", "", 0.0, Scope.ALL, "", 0, 0, -1, Map.of(), null);

    public Routing {
        fallbacks = Map.copyOf(fallbacks);
    }

    /**
     * The routing of schema {@code own}'s record; {@code bRecord} is the record of the schema B is
     * read from when that is another schema (null when unknown or not needed).
     */
    public static Routing of(VersionControl own, VersionControl bRecord) {
        Map<Integer, FallbackRule> fallbacks = new HashMap<>();
        for (int version : new int[] {own.active(), own.ownB()}) {
            own.version(version).map(VersionInfo::fallback).ifPresent(rule -> fallbacks.put(version, rule));
        }
        if (!own.hasExperiment()) {
            return new Routing(own.schema(), own.active(), "", "", 0.0, Scope.ALL, own.schema(), 0, own.createdAt(),
                    own.revision(), fallbacks, null);
        }
        String bSchema = own.bSchemaName();
        int b;
        FallbackRule bFallback;
        if (bSchema.equals(own.schema())) {
            b = own.bVersion();
            bFallback = fallbacks.get(b);
        } else if (bRecord == null || !bRecord.schema().equals(bSchema)) {
            b = 0;
            bFallback = null;
        } else {
            b = own.bFollows() ? bRecord.active() : own.bVersion();
            bFallback = bRecord.version(b).map(VersionInfo::fallback).orElse(null);
        }
        return new Routing(own.schema(), own.active(), own.experiment(), own.salt(), own.bShare(), own.scope(),
                bSchema, b, own.createdAt(), own.revision(), fallbacks, bFallback);
    }

    /** The fallback rule recorded with version {@code version} of this schema, or null. */
    public FallbackRule fallback(int version) {
        return fallbacks.get(version);
    }

    /** Whether an experiment runs (B may not be resolved yet: see {@link #b}). */
    public boolean hasExperiment() {
        return !experiment.isEmpty();
    }

    /**
     * What a request reads.
     *
     * @param schema  the schema whose maps answer
     * @param version the version there
     * @param b       whether it is the B arm
     * @param variant what the ad server logs ({@link Variant#text()}), null outside an experiment or its scope
     */
    public record Target(String schema, int version, boolean b, Variant variant) {
    }

    /**
     * The snapshot for a request: within an experiment's scope B for the units
     * {@link UnitSplit#inB} puts there and A for the others, both with their {@link Variant};
     * outside the scope, without an experiment, or while B is not resolved, the active version
     * and no variant. {@code keyInScope} is only asked when the experiment has a scope.
     */
    public Target target(String trafficUnitId, BooleanSupplier keyInScope) {
        if (!hasExperiment() || b == 0 || active == 0 || (!scope.isAll() && !keyInScope.getAsBoolean())) {
            return new Target(schema, active, false, null);
        }
        if (UnitSplit.inB(salt, trafficUnitId, share)) {
            return new Target(bSchema, b, true, variant(Variant.Arm.B, bSchema, b));
        }
        return new Target(schema, active, false, variant(Variant.Arm.A, schema, active));
    }

    /** A variant, or null for a schema name the log format cannot carry (the config's schema names always fit). */
    private Variant variant(Variant.Arm arm, String answeringSchema, int version) {
        try {
            return new Variant(experiment, arm, answeringSchema, version);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether a record of this schema supersedes {@code before}: a newer revision, or a re-created record. */
    static boolean supersedes(VersionControl next, VersionControl before) {
        return before == null || next.createdAt() != before.createdAt() || next.revision() > before.revision();
    }

    /** The snapshots a reader may read under this routing, as {@code schema/vN}. */
    public Set<String> live() {
        Set<String> live = new HashSet<>();
        if (active != 0) {
            live.add(id(schema, active));
        }
        if (b != 0) {
            live.add(id(bSchema, b));
        }
        return live;
    }

    static String id(String schema, int version) {
        return schema + "/v" + version;
    }
}
