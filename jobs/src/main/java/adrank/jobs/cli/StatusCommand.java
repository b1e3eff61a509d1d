package adrank.jobs.cli;

import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RunRecord;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Print the run ledger: which hours and days ran, rows in, quarantined, keys written, "
                + "duration and outcome (latest attempt per unit unless --all).")
final class StatusCommand implements Callable<Integer> {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    @Mixin
    ConfigOptions options;

    @Option(names = "--dt", paramLabel = "yyyy-MM-dd", description = "Only this day's hours and fold.")
    LocalDate dt;

    @Option(names = "--all", description = "Every attempt, not only the latest per unit.")
    boolean all;

    @Option(names = "--json", description = "JSON lines on stdout, one per attempt (fields in README "
            + "\"Machine-readable status\"), instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (RunContext ctx = new RunContext(options.config())) {
            List<RunRecord> runs = all ? ctx.ledger().list(dt) : ctx.ledger().latestPerUnit(dt);
            if (json) {
                for (RunRecord r : runs) {
                    System.out.println(LedgerJson.attempt(r, ctx.config().schema()));
                }
            } else {
                printTable(runs);
            }
            long failed = runs.stream().filter(r -> r.status().equals(RunRecord.FAILED)).count();
            Summary.print("status", runs.size() + " run(s)" + (dt == null ? "" : " on " + dt) + ", " + failed
                    + " failed, schema " + ctx.config().schema());
        }
        return 0;
    }

    private static void printTable(List<RunRecord> runs) {
        System.out.printf(Locale.ROOT, "%-19s %-9s %12s %9s %10s %9s  %-19s  %s%n", "UNIT", "STATUS", "ROWS_IN",
                "QUARANT.", "KEYS", "SECONDS", "STARTED (UTC)", "NOTE");
        for (RunRecord r : runs) {
            String note = r.message() == null ? "" : r.message();
            // a failure's message is shown whole: it names the file or service at fault
            if (note.length() > 100 && !r.status().equals(RunRecord.FAILED)) {
                note = note.substring(0, 97) + "...";
            }
            System.out.printf(Locale.ROOT, "%-19s %-9s %,12d %,9d %,10d %9.1f  %-19s  %s%n", r.unit(), r.status(),
                    r.rowsIn(), r.rowsBad(), r.keysWritten(), r.durationMs() / 1000.0, STARTED.format(r.startedAt()),
                    note);
        }
    }
}
