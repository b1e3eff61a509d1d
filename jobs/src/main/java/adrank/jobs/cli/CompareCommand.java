package adrank.jobs.cli;

import adrank.jobs.pipeline.Compare;
import adrank.jobs.pipeline.CompareHtml;
import adrank.jobs.pipeline.CompareReport;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.VersionRef;
import adrank.udfs.compare.Movers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "compare",
        description = {"Compare two sides key by key: A is --schema (or the configured schema), B is --vs; each side is "
                + "the schema's stored rows, or a snapshot version of it with --version / --vs-version (a number, "
                + "active, previous or b). Prints keys in both / only in A / only in B, identical keys, the "
                + "distribution of the rank ratio B/A and the top movers per segment; --json for JSON lines, --html "
                + "for a page with plots.",
            "Examples: rank compare --vs nov_k300 (stored rows of two schemas); rank compare --version active "
                + "--vs-version 4; rank compare --version active --vs nov_k300 --vs-version 1 --segment-level geo"})
final class CompareCommand implements Callable<Integer> {

    private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    @Mixin
    ConfigOptions options;

    // not mixinStandardHelpOptions: its -V/--version (print the version) would take --version, A's snapshot version
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "N|active|previous|b", description = "A is this snapshot version of "
            + "--schema (default: A is its stored rows).")
    String version;

    @Option(names = {"--vs", "--vs-schema"}, paramLabel = "SCHEMA", description = "B's schema (default: A's schema, "
            + "then --vs-version is needed).")
    String vs;

    @Option(names = "--vs-version", paramLabel = "N|active|previous|b", description = "B is this snapshot version of "
            + "B's schema (default: B is its stored rows).")
    String vsVersion;

    @Option(names = "--top", defaultValue = "10", paramLabel = "K", description = "Top movers listed per segment "
            + "(default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--segment-level", paramLabel = "DIMS", split = ",", description = "Movers per parent segment of "
            + "these key dimensions, e.g. geo or geo,device (default: one list over all keys).")
    List<String> segmentLevel;

    @Option(names = "--segment-top", defaultValue = "5", paramLabel = "N", description = "With --segment-level: the N "
            + "largest segments are listed (default ${DEFAULT-VALUE}).")
    int segmentTop;

    @Option(names = "--segment-order", defaultValue = "revenue", paramLabel = "revenue|keys", description = "What "
            + "makes a segment large: the revenue of its keys (mean of A and B) or its keys (default ${DEFAULT-VALUE}).")
    String segmentOrder;

    @Option(names = "--batch-size", defaultValue = "1000", paramLabel = "N", description = "Keys fetched and looked "
            + "up per round trip (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", description = "JSON lines on stdout (money in micros) instead of the table.")
    boolean json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page (works "
            + "offline): ratio histogram, quantile plot, A-vs-B scatter, top movers.")
    Path html;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Compare.Options compareOptions = validate(options.config());
        AdrankConfig config = options.config();
        String schemaA = config.schema();
        String schemaB = vs == null ? schemaA : vs;
        Compare.Side a = new Compare.Side(schemaA, version == null ? null : VersionRef.parse(version));
        Compare.Side b = new Compare.Side(schemaB, vsVersion == null ? null : VersionRef.parse(vsVersion));
        try (RunContext ctx = new RunContext(config)) {
            Compare.Outcome o = Compare.run(ctx, a, b, compareOptions);
            if (json) {
                CompareReport.jsonLines(o, System.out);
            } else {
                CompareReport.table(o, System.out);
            }
            if (html != null) {
                Files.writeString(html, CompareHtml.page(o), StandardCharsets.UTF_8);
            }
            Double median = o.ratios().ratios() == 0 ? null : o.ratios().quantile(0.5);
            Summary.print("compare", o.sideA() + " vs " + o.sideB() + ": " + Summary.count(o.both()) + " keys in both ("
                    + Summary.count(o.identical()) + " identical, " + Summary.count(o.rankChanged())
                    + " ranks changed, median B/A " + CompareReport.ratio(median) + "), " + Summary.count(o.onlyInA())
                    + " only in A, " + Summary.count(o.onlyInB()) + " only in B"
                    + (html == null ? "" : "; page " + html) + ", " + Summary.seconds(o.elapsed()));
        }
        return 0;
    }

    /** Checks the options (bad usage exits 2 with one line) and returns the comparison's. */
    private Compare.Options validate(AdrankConfig config) {
        if (vs == null && vsVersion == null) {
            throw usage("say what B is: --vs SCHEMA (its stored rows) and/or --vs-version N|active|previous|b");
        }
        if (vs != null && !SCHEMA.matcher(vs).matches()) {
            throw usage("--vs (" + vs + ") must be a schema name ([a-z][a-z0-9_]{0,31})");
        }
        VersionRef refA = parse("--version", version);
        VersionRef refB = parse("--vs-version", vsVersion);
        if ((vs == null || vs.equals(config.schema())) && Objects.equals(refA, refB)) {
            throw usage("A and B are the same (" + (refA == null ? "the stored rows" : "version " + refA)
                    + " of schema " + config.schema() + "); give another --vs or --vs-version");
        }
        if (top < 0) {
            throw usage("--top must be 0 or more, not " + top);
        }
        if (segmentTop < 1) {
            throw usage("--segment-top (" + segmentTop + ") must be >= 1");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw usage("--batch-size (" + batchSize + ") must be in 1..100000");
        }
        Movers.Order order;
        switch (segmentOrder.toLowerCase(Locale.ROOT)) {
            case "revenue" -> order = Movers.Order.REVENUE;
            case "keys" -> order = Movers.Order.KEYS;
            default -> throw usage("--segment-order (" + segmentOrder + ") must be revenue or keys");
        }
        if (segmentLevel != null) {
            List<String> dimensions = config.key().dimensions();
            for (String d : segmentLevel) {
                if (!dimensions.contains(d)) {
                    throw usage("--segment-level names '" + d + "', which is not one of the key dimensions "
                            + dimensions);
                }
            }
        }
        return new Compare.Options(top, segmentLevel, segmentLevel == null ? 1 : segmentTop, order, batchSize, 2000,
                Duration.ofSeconds(10));
    }

    private VersionRef parse(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return VersionRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + ": " + e.getMessage());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
