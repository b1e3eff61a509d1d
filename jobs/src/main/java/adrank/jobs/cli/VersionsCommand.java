package adrank.jobs.cli;

import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hazelcast.Change;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.Scope;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionInfo;
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

/** {@code rank versions list|activate|rollback|ab|ab-clear}: the bidding team's controls. */
@Command(name = "versions", mixinStandardHelpOptions = true,
        description = "List, activate, roll back and A/B-split the schema's snapshot versions.",
        subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Activate.class,
            VersionsCommand.Rollback.class, VersionsCommand.Ab.class, VersionsCommand.AbClear.class})
final class VersionsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.err);
    }

    private static SnapshotPublisher publisher(RunContext ctx) {
        return new SnapshotPublisher(ctx.hazelcast(), ctx.config().publish(), ctx.config().key().dimensions());
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
                    System.out.printf(Locale.ROOT, "v%-7d %-9s %-8s %,12d %-18s %,8d  %s%s%n", v.version(),
                            row.role().isEmpty() ? "-" : row.role(), v.state(), v.entries(), LoadResult.hex(v.checksum()),
                            v.parentEntries(), Instant.ofEpochMilli(v.createdAt()),
                            v.note() == null || v.note().isEmpty() ? "" : "  " + v.note());
                }
                VersionControl control = publisher.control(schema);
                String split = control == null || control.bVersion() == 0 ? "no A/B split"
                        : String.format(Locale.ROOT, "B = v%d for %.1f%% of units%s", control.bVersion(),
                                100 * control.bShare(), control.bScope() == null ? "" : " within " + control.bScope());
                Summary.print("versions list", rows.size() + " version(s) of schema " + schema + ", active "
                        + (control == null || control.active() == 0 ? "none" : "v" + control.active()) + ", " + split);
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
            if (version < 1) {
                throw new ParameterException(spec.commandLine(), "N must be a version number (1 or more), not "
                        + version);
            }
            try (RunContext ctx = new RunContext(options.config())) {
                return printChange("versions activate", ctx.config().schema(),
                        publisher(ctx).activate(ctx.config().schema(), version));
            }
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Re-activate the previous version.")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            try (RunContext ctx = new RunContext(options.config())) {
                return printChange("versions rollback", ctx.config().schema(),
                        publisher(ctx).rollback(ctx.config().schema()));
            }
        }
    }

    @Command(name = "ab", mixinStandardHelpOptions = true,
            description = "Serve version B to a share of traffic units (stable per unit), optionally only within a "
                    + "scope such as geo=MX; everyone else gets the active version.")
    static final class Ab implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Option(names = "--b", required = true, paramLabel = "N", description = "The B version.")
        int bVersion;

        @Option(names = "--share", required = true, paramLabel = "F", description = "Share of units on B, in (0, 1].")
        double share;

        @Option(names = "--scope", paramLabel = "DIM=VALUE", description = "Only keys with this dimension value.")
        String scope;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (bVersion < 1) {
                throw new ParameterException(spec.commandLine(), "--b must be a version number (1 or more), not "
                        + bVersion);
            }
            if (!(share > 0 && share <= 1)) {
                throw new ParameterException(spec.commandLine(), "--share must be in (0, 1], not " + share);
            }
            try {
                Scope.parse(scope);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--scope: " + e.getMessage());
            }
            try (RunContext ctx = new RunContext(options.config())) {
                return printChange("versions ab", ctx.config().schema(),
                        publisher(ctx).ab(ctx.config().schema(), bVersion, share, scope));
            }
        }
    }

    @Command(name = "ab-clear", mixinStandardHelpOptions = true, description = "End the A/B split.")
    static final class AbClear implements Callable<Integer> {
        @Mixin
        ConfigOptions options;

        @Override
        public Integer call() throws Exception {
            try (RunContext ctx = new RunContext(options.config())) {
                return printChange("versions ab-clear", ctx.config().schema(),
                        publisher(ctx).abClear(ctx.config().schema()));
            }
        }
    }
}
