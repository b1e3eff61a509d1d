package adrank.jobs.cli;

import adrank.jobs.pipeline.Compare;
import adrank.jobs.pipeline.RunContext;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare the stored rows of two schemas (e.g. a backfill against the scheduled one): how many "
                + "keys differ, and the largest rank changes. Run ids and computation times are ignored.")
final class CompareCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Option(names = "--vs", required = true, paramLabel = "SCHEMA", description = "The schema to compare with "
            + "(B); --schema (or the configured schema) is A.")
    String vs;

    @Option(names = "--top", defaultValue = "20", description = "Largest rank changes to list (default ${DEFAULT-VALUE}).")
    int top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (top < 0) {
            throw new ParameterException(spec.commandLine(), "--top must be 0 or more, not " + top);
        }
        try (RunContext ctx = new RunContext(options.config())) {
            Compare.Outcome o = Compare.run(ctx, ctx.config().schema(), ctx.config().withSchema(vs).schema(),
                    top);
            System.out.printf(Locale.ROOT, "A = schema %s: %,d keys; B = schema %s: %,d keys%n", o.schemaA(), o.keysA(),
                    o.schemaB(), o.keysB());
            System.out.printf(Locale.ROOT, "identical %,d; different %,d (rank changed %,d); only in A %,d; only in B "
                    + "%,d%n", o.identical(), o.different(), o.rankChanged(), o.onlyInA(), o.onlyInB());
            if (!o.largest().isEmpty()) {
                System.out.printf(Locale.ROOT, "%nlargest rank changes (B - A):%n%-60s %14s %14s %14s %9s%n", "KEY",
                        "RANK_A", "RANK_B", "CHANGE", "CHANGE_%");
                for (Compare.Change c : o.largest()) {
                    System.out.printf(Locale.ROOT, "%-60s %14.2f %14.2f %+14.2f %+8.1f%%%n", c.key(), c.rankA(),
                            c.rankB(), c.change(), c.percent());
                }
            }
            Summary.print("compare", o.schemaA() + " vs " + o.schemaB() + ": " + Summary.count(o.differing())
                    + " of " + Summary.count(Math.max(o.keysA(), o.keysB())) + " keys differ ("
                    + Summary.count(o.rankChanged()) + " ranks changed"
                    + (o.largest().isEmpty() ? "" : String.format(Locale.ROOT, ", largest change %+.2f",
                            o.largest().get(0).change())) + "), " + Summary.count(o.onlyInA()) + " only in "
                    + o.schemaA() + ", " + Summary.count(o.onlyInB()) + " only in " + o.schemaB() + ", "
                    + Summary.seconds(o.elapsed()));
        }
        return 0;
    }
}
