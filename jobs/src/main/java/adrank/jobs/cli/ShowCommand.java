package adrank.jobs.cli;

import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.ParentTable;
import adrank.loaders.hbase.RankRows;
import adrank.loaders.hbase.StoredRow;
import adrank.udfs.key.ImpressionKey;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the stored row of one key as JSON: today, total, by-day lists, hours applied, results.")
final class ShowCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "KEY", description = "Encoded key, e.g. 'ad000001|US|mobile|android|chrome|wifi' "
            + "(a space inside a component is written \\x20).")
    String key;

    @Option(names = "--with-run-info", description = "Also print when the row last changed and run ids.")
    boolean withRunInfo;

    @Option(names = "--parent", description = "KEY is a parent segment key (e.g. 'geo,device:MX|mobile', or '*' "
            + "for the global segment): print the segment's stored averages and priors.")
    boolean parent;

    @Override
    public Integer call() throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            if (parent) {
                return showParent(ctx);
            }
            Optional<StoredRow> row = new RankRows(ctx.hbaseWithTables(), ctx.schema()).get(key);
            if (row.isEmpty()) {
                Summary.print("show", "no row for key '" + key + "' in " + ctx.schema().ranks());
                return RankCli.EXIT_FAILED;
            }
            RowJson json = new RowJson(new ImpressionKey(ctx.config().key().separator()), ctx.config().key().dimensions());
            System.out.println(RowJson.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json.toJson(row.get(), withRunInfo)));
            Summary.print("show", "1 row from " + ctx.schema().ranks() + " (" + row.get().hours().size()
                    + " hour cells, " + row.get().byDay().entries().size() + " days)");
        }
        return 0;
    }

    private int showParent(RunContext ctx) throws Exception {
        Optional<java.util.Map<String, String>> columns = new ParentTable(ctx.hbaseWithTables(), ctx.schema()).get(key);
        if (columns.isEmpty()) {
            Summary.print("show", "no parent segment '" + key + "' in " + ctx.schema().parents()
                    + " (format: dimension names, ':', encoded values; '*' is the global segment)");
            return RankCli.EXIT_FAILED;
        }
        com.fasterxml.jackson.databind.node.ObjectNode json = RowJson.MAPPER.createObjectNode();
        json.put("parent", key);
        columns.get().forEach(json::put);
        System.out.println(RowJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        Summary.print("show", "parent segment '" + key + "' from " + ctx.schema().parents());
        return 0;
    }
}
