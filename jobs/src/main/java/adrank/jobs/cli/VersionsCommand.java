package adrank.jobs.cli;

import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.Change;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.Scope;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionInfo;
import adrank.udfs.experiment.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rank versions list|activate|rollback|pin|unpin|ab|ab-clear}: the bidding team's controls. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List, activate, roll back, pin and A/B-test the schema's snapshot versions.",
        subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Activate.class,
            VersionsCommand.Rollback.class, VersionsCommand.Pin.class, VersionsCommand.Unpin.class,
            VersionsCommand.Unstage.class,
            VersionsCommand.Ab.class, VersionsCommand.AbClear.class})
final class VersionsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    private static SnapshotPublisher publisher(RunContext ctx) {
        return new SnapshotPublisher(ctx.hazelcast(), ctx.config().publish(), ctx.config().key().dimensions());
    }

    /** One control change of the configured schema, the way every subcommand but `list` runs. */
    @FunctionalInterface
    interface ControlChange {
        Change apply(SnapshotPublisher publisher, String schema) throws Exception;
    }

    private static int change(ConfigOptions options, String command, ControlChange op) throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            String schema = ctx.config().schema();
            return printChange(command, schema, op.apply(publisher(ctx), schema));
        }
    }

    /** Bad usage unless {@code version} can be a version number. */
    private static void requireVersion(CommandSpec spec, int version) {
        if (version < 1) {
            throw new ParameterException(spec.commandLine(), "N must be a version number (1 or more), not " + version);
        }
    }

    private static int printChange(String command, String schema, Change change) {
        for (String line : change.lines()) {
            System.out.println(line);
        }
        Summary.print(command, change.changed() ? String.join("; ", change.lines())
                : "schema " + schema + ": nothing changed");
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Versions with entries, checksum, state.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--json", description = "JSON lines on stdout, one per version (fields in README "
                + "\"Machine-readable status\"), instead of the table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (RunContext ctx = new RunContext(options.config())) {
                String schema = ctx.config().schema();
                SnapshotPublisher publisher = publisher(ctx);
                List<VersionControl.VersionRow> rows = publisher.list(schema);
                if (!json) {
                    System.out.printf(Locale.ROOT, "%-8s %-9s %-8s %12s %-18s %8s  %s%n", "VERSION", "ROLE", "STATE",
                            "ENTRIES", "CHECKSUM", "PARENTS", "CREATED (UTC)");
                }
                for (VersionControl.VersionRow row : rows) {
                    if (json) {
                        System.out.println(LedgerJson.version(row, schema));
                        continue;
                    }
                    VersionInfo v = row.info();
                    System.out.printf(Locale.ROOT, "v%-7d %-9s %-8s %,12d %-18s %,8d  %s%s%s%n", v.version(),
                            row.role().isEmpty() ? "-" : row.role(), v.state(), v.entries(), LoadResult.hex(v.checksum()),
                            v.parentEntries(), Instant.ofEpochMilli(v.createdAt()),
                            v.note() == null || v.note().isEmpty() ? "" : "  " + v.note(),
                            row.whyNotActive().isEmpty() ? "" : "  " + row.whyNotActive());
                }
                VersionControl control = publisher.control(schema);
                Summary.print("versions list", rows.size() + " version(s) of schema " + schema + ", active "
                        + VersionControl.name(control.active()) + ", "
                        + (control.pinned() ? "pinned since " + Instant.ofEpochMilli(control.pinnedAt()) + " by "
                                + control.pinnedBy() + (control.pinReason().isEmpty() ? "" : " (" + control.pinReason()
                                + ")") : "not pinned") + ", "
                        + (control.hasExperiment() ? Change.describeExperiment(control) : "no experiment"));
            }
            return 0;
        }
    }

    @Command(name = "activate", mixinStandardHelpOptions = true, description = "Make version N active.")
    static final class Activate implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "N", description = "Version number (as in `versions list`, without the v).")
        int version;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            requireVersion(spec, version);
            return change(options, "versions activate", (publisher, schema) -> publisher.activate(schema, version));
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Re-activate the previous version and pin the schema, so scheduled publishes load but "
                    + "do not activate until `versions unpin`.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            return change(options, "versions rollback", (publisher, schema) -> publisher.rollback(schema));
        }
    }

    @Command(name = "pin", mixinStandardHelpOptions = true,
            description = "Pin the schema: publishes keep loading and verifying new versions but do not activate "
                    + "them until `versions unpin`.")
    static final class Pin implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--reason", defaultValue = "", paramLabel = "TEXT", description = "Why (shown by `versions list`).")
        String reason;

        @Option(names = "--by", paramLabel = "WHO", description = "Who pins (default: the user name).")
        String by;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String who = by == null ? System.getProperty("user.name", "operator") : by;
            if (who.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--by must not be blank");
            }
            return change(options, "versions pin", (publisher, schema) -> publisher.pin(schema, who, reason));
        }
    }

    @Command(name = "unpin", mixinStandardHelpOptions = true,
            description = "Lift the pin. Nothing switches now: the next publish activates its new version (or run "
                    + "`versions activate N` for one already loaded).")
    static final class Unpin implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            return change(options, "versions unpin", (publisher, schema) -> publisher.unpin(schema));
        }
    }

    @Command(name = "unstage", mixinStandardHelpOptions = true,
            description = "Version N (staged by publish --stage) is no longer wanted: retention may drop it again.")
    static final class Unstage implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Parameters(paramLabel = "N", description = "Version number (as in `versions list`, without the v).")
        int version;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            requireVersion(spec, version);
            return change(options, "versions unstage", (publisher, schema) -> publisher.unstage(schema, version));
        }
    }

    @Command(name = "ab", mixinStandardHelpOptions = true,
            description = "Run an experiment: a share of traffic units (stable per unit: by a hash of the experiment's "
                    + "salt and the unit id only) reads B, optionally only within a scope such as geo=MX; everyone "
                    + "else reads the active version. B is a version of this schema (--b N), a fixed version of "
                    + "another schema (--b-schema S --b N), or follows another schema's active version (--b-schema S).")
    static final class Ab implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--experiment", paramLabel = "NAME", description = "The experiment's name (logged in the "
                + "variant column). Default: the running experiment, or <schema>-v<N> for a new one.")
        String experiment;

        @Option(names = "--salt", paramLabel = "S", description = "Hash salt of a new experiment (default: its name); "
                + "a running experiment's salt cannot change.")
        String salt;

        @Option(names = "--b", paramLabel = "N", description = "The B version (of --b-schema when given).")
        Integer bVersion;

        @Option(names = "--b-schema", paramLabel = "S", description = "Read B from schema S (e.g. a backfilled "
                + "experiment); without --b, B follows S's active version as S's publishes refresh it.")
        String bSchema;

        @Option(names = "--share", required = true, paramLabel = "F", description = "Share of units on B, in (0, 1].")
        double share;

        @Option(names = "--scope", paramLabel = "DIM=VALUE", description = "Only keys with this dimension value.")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (bVersion == null && bSchema == null) {
                throw new ParameterException(spec.commandLine(), "give --b N, --b-schema S, or both");
            }
            if (bVersion != null && bVersion < 1) {
                throw new ParameterException(spec.commandLine(), "--b must be a version number (1 or more), not "
                        + bVersion);
            }
            if (bSchema != null && !bSchema.matches("[a-z][a-z0-9_]{0,31}")) {
                throw new ParameterException(spec.commandLine(), "--b-schema must match [a-z][a-z0-9_]{0,31}, not '"
                        + bSchema + "'");
            }
            if (experiment != null && !Variant.EXPERIMENT_NAME.matcher(experiment).matches()) {
                throw new ParameterException(spec.commandLine(), "--experiment must match " + Variant.EXPERIMENT_NAME
                        + ", not '" + experiment + "'");
            }
            if (salt != null && salt.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--salt must not be empty");
            }
            if (!(share > 0 && share <= 1)) {
                throw new ParameterException(spec.commandLine(), "--share must be in (0, 1], not " + share);
            }
            try {
                Scope.parse(scope);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--scope: " + e.getMessage());
            }
            AdrankConfig config = options.config();
            String schema = config.schema();
            if (schema.equals(bSchema) && bVersion == null) {
                throw new ParameterException(spec.commandLine(), "--b-schema " + bSchema + " is this schema: "
                        + "give --b N (B cannot follow the active version it is compared with)");
            }
            try (RunContext ctx = new RunContext(config)) {
                return printChange("versions ab", schema, publisher(ctx).ab(schema, orEmpty(experiment),
                        orEmpty(salt), orEmpty(bSchema), bVersion == null ? 0 : bVersion, share, scope));
            }
        }

        private static String orEmpty(String text) {
            return text == null ? "" : text;
        }
    }

    @Command(name = "ab-clear", mixinStandardHelpOptions = true,
            description = "End the experiment (everyone reads the active version; a version held in another schema "
                    + "is released to its retention).")
    static final class AbClear implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            return change(options, "versions ab-clear", (publisher, schema) -> publisher.abClear(schema));
        }
    }
}
