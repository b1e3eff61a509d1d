package adrank.jobs.cli;

import adrank.jobs.pipeline.HealthCheck;
import adrank.jobs.pipeline.RunContext;
import adrank.udfs.health.Status;
import adrank.udfs.health.Verdict;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Health checks for alerting (cron, Nagios, an Oozie SLA): processing lag, failed units, "
                + "quarantined share, snapshot age, writer lock past its lease; limits in check.*. "
                + "One line per check on stdout, the worst first (the first line is what a Nagios status shows).",
            "Exit codes (Nagios): 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a check could not be made). "
                + "Bad usage or configuration also exits 2, so a broken check alerts too."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:OK", "1:WARNING: a warning limit passed", "2:CRITICAL: a critical limit passed (or bad "
                + "usage / configuration)", "3:UNKNOWN: a check could not be made (HBase or Hazelcast unreachable)"})
final class CheckCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Override
    public Integer call() throws Exception {
        List<Verdict> verdicts;
        String schema;
        try (RunContext ctx = new RunContext(options.config())) {
            schema = ctx.config().schema();
            verdicts = HealthCheck.run(ctx);
        }
        // worst first (stable: otherwise in the checks' order), so the first line says what is wrong
        verdicts.stream().sorted(java.util.Comparator.comparing(Verdict::status, Status.WORST_FIRST))
                .forEach(v -> System.out.println(v.line()));
        Status worst = Status.worst(verdicts.stream().map(Verdict::status).toList());
        Summary.print("check", worst + " (exit " + worst.exitCode() + "), schema " + schema + ": "
                + verdicts.stream().map(v -> v.check() + " " + v.status()).collect(Collectors.joining(", ")));
        return worst.exitCode();
    }
}
