package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.Backfill;
import adrank.jobs.pipeline.Compare;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.testdata.EventGenerator;
import adrank.testdata.GeneratorSettings;
import adrank.udfs.stats.HourId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code rank backfill} over three generated days equals running the same hours and days one by
 * one (each hour with its result stage, as the scheduler runs them); into {@code --schema S} it
 * leaves the scheduled schema untouched; interrupted in the middle of a unit and started again it
 * finishes with the same state without redoing finished units. Its hours defer their results to
 * the day's fold: the result stage runs once per day, every cell of the ranks and parents tables
 * ends equal to the one-by-one runs', and the deferred backfill is timed against one with results
 * after every hour.
 *
 * <p>The generator writes the first two hours of each day (one hourly run costs about a second
 * here, so three full days would cost minutes per backfill); the backfills run with
 * {@code --skip-missing}, so the 22 hours without a partition of each day are skipped and every day
 * folds its two hours, exactly like the one-by-one runs.
 */
@ExtendWith(AdrankStack.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackfillIT {

    private static final LocalDate START = LocalDate.of(2026, 3, 1);
    private static final LocalDate END = START.plusDays(2);
    private static final int HOURS = 2;
    private static final Map<String, String> SETTINGS = Map.of("input.source", "path");

    private Map<String, String> straightSettings;
    private RunContext straight;
    private String reference;
    /** The results (without run id and time) after the first day's fold, per key. */
    private Map<String, String> firstDayResults;
    /** Every cell of the ranks and parents tables at the end (run ids and times left out). */
    private List<String> referenceCells;

    @BeforeAll
    void runEveryHourAndDayOneByOne(AdrankStack.Services stack) throws Exception {
        straightSettings = stack.newSettings("straight", SETTINGS);
        straight = new RunContext(adrank.loaders.config.AdrankConfig.load("local", straightSettings));
        GeneratorSettings data = GeneratorSettings.builder().seed(11).startDay(START).days(3).hoursPerDay(HOURS)
                .eventsPerHour(3_000).keys(400).adServers(2).badRowsPerHour(1).build();
        EventGenerator.generate(data, Path.of(straight.config().input().path()), null);
        for (LocalDate day = START; !day.isAfter(END); day = day.plusDays(1)) {
            for (int h = 0; h < HOURS; h++) {
                HourlyJob.run(straight, new HourId(day, h));
            }
            DailyJob.run(straight, day);
            if (day.equals(START)) {
                firstDayResults = results(Export.jsonLines(straight));
            }
        }
        reference = Export.jsonLines(straight);
        assertThat(reference.lines().count()).isGreaterThan(300);
        referenceCells = cells(straight);
        // hourly runs keep their result stage: no hour of the scheduled path is recorded as deferred
        assertThat(straight.ledger().list(null)).hasSize(9).noneMatch(RunRecord::resultsDeferred);
    }

    @AfterAll
    void close() throws IOException {
        straight.close();
    }

    @Test
    void backfillIntoItsOwnSchemaEqualsTheOneByOneRunsAndLeavesTheScheduledSchemaAlone() throws Exception {
        List<String> ledgerBefore = ledger(straight);
        // every schema's quarantine lies under input.quarantine-dir (the default schema's is that directory itself)
        Path quarantineRoot = Path.of(straight.config().withSchema("default").input().quarantineDir());
        Map<String, Long> quarantineBefore = files(quarantineRoot);
        assertThat(quarantineBefore).isNotEmpty();

        List<String> args = new ArrayList<>(List.of("backfill", "--from", START.toString(), "--to", END.toString(),
                "--publish", "--schema", "bf_cli"));
        straightSettings.forEach((k, v) -> args.addAll(List.of("-D", k + "=" + v)));
        // hours 02..23 have no partition: without --skip-missing nothing runs (and the ledger stays clean)
        int exit = RankCli.commandLine().execute(args.toArray(new String[0]));
        assertThat(exit).isEqualTo(RankCli.EXIT_FAILED);
        try (RunContext backfilled = new RunContext(straight.config().withSchema("bf_cli"))) {
            assertThat(backfilled.ledger().list(null)).isEmpty();
        }
        args.add(1, "--skip-missing");
        exit = RankCli.commandLine().execute(args.toArray(new String[0]));
        assertThat(exit).isZero();

        try (RunContext backfilled = new RunContext(straight.config().withSchema("bf_cli"))) {
            assertThat(Export.jsonLines(backfilled)).isEqualTo(reference);
            // 3 x 2 hours and 3 days, one attempt each
            assertThat(backfilled.ledger().list(null)).hasSize(9).allMatch(RunRecord::succeeded);
        }
        // the scheduled schema: same rows, same ledger, same quarantine files
        assertThat(Export.jsonLines(straight)).isEqualTo(reference);
        assertThat(ledger(straight)).isEqualTo(ledgerBefore);
        Map<String, Long> quarantineAfter = files(quarantineRoot);
        quarantineAfter.keySet().removeIf(f -> f.startsWith("schema=bf_cli/"));
        assertThat(quarantineAfter).isEqualTo(quarantineBefore);
        assertThat(quarantineRoot.resolve("schema=bf_cli/t_raw_events")).isDirectory();

        Compare.Outcome same = Compare.run(straight, "bf_cli", straight.config().schema(), 5);
        assertThat(same.differing()).isZero();
        assertThat(same.identical()).isEqualTo(reference.lines().count());

        // a second run finds everything done
        exit = RankCli.commandLine().execute(args.stream().filter(a -> !a.equals("--publish")).toArray(String[]::new));
        assertThat(exit).isZero();
        try (RunContext backfilled = new RunContext(straight.config().withSchema("bf_cli"))) {
            assertThat(backfilled.ledger().list(null)).hasSize(9);
        }
    }

    @Test
    void interruptedBackfillResumesWithoutRedoingFinishedUnits(AdrankStack.Services stack) throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("input.path", straight.config().input().path());
        Backfill.Options options = new Backfill.Options(START, END, false, true, false);
        RunContext killed = stack.newContext("killed", settings);
        String schema = killed.config().schema();

        // Interrupt the backfill thread as soon as the first Spark job of unit 5 (hour 01 of day 2)
        // starts, i.e. in the middle of that unit.
        AtomicReference<Thread> backfillThread = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        SparkListener interrupter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                if (armed.getAndSet(false)) {
                    backfillThread.get().interrupt();
                }
            }
        };
        Backfill.Listener listener = new Backfill.Listener() {
            @Override
            public void starting(Backfill.Step step) {
                armed.set(step.number() == 5);
            }
        };
        AtomicReference<Throwable> stopped = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                Backfill.run(killed, options, listener);
            } catch (Throwable e) {
                stopped.set(e);
            }
        }, "backfill");
        backfillThread.set(thread);
        killed.spark().sparkContext().addSparkListener(interrupter);
        try {
            thread.start();
            thread.join(300_000);
        } finally {
            killed.spark().sparkContext().removeSparkListener(interrupter);
        }
        assertThat(thread.isAlive()).isFalse();
        assertThat(stopped.get()).isInstanceOf(Backfill.StoppedException.class).hasMessageContaining("interrupted");
        Backfill.StoppedException e = (Backfill.StoppedException) stopped.get();
        assertThat(e.interrupted()).isTrue();
        assertThat(e.step().number()).isBetween(5, 6);
        killed.close();

        // what the ledger shows as done before the restart
        Map<RunUnit, List<RunRecord>> beforeRestart = attempts(killed.config().withSchema(schema));
        Set<RunUnit> finished = new HashSet<>();
        beforeRestart.forEach((unit, runs) -> {
            if (runs.get(runs.size() - 1).succeeded()) {
                finished.add(unit);
            }
        });
        assertThat(finished).contains(RunUnit.hour(new HourId(START, 0)), RunUnit.hour(new HourId(START, 1)),
                RunUnit.day(START), RunUnit.hour(new HourId(START.plusDays(1), 0)));
        assertThat(finished).doesNotContain(RunUnit.day(START.plusDays(1)), RunUnit.day(END));
        // what is visible meanwhile: hour 00 of day 2 is in the state, its results were deferred to the fold that
        // never ran, so every stored result is the first day's fold's (stale, but consistent), and the keys new on
        // day 2 have none yet
        try (RunContext meanwhile = new RunContext(killed.config())) {
            String export = Export.jsonLines(meanwhile);
            assertThat(export).contains("\"" + new HourId(START.plusDays(1), 0).id() + "\"");
            Map<String, String> stored = results(export);
            assertThat(stored.keySet()).containsAll(firstDayResults.keySet());
            stored.forEach((key, result) -> assertThat(result).as("result of %s", key)
                    .isEqualTo(firstDayResults.getOrDefault(key, "{}")));
        }

        // started again (a new process: a new context), it runs only what is left
        Backfill.Outcome resumed;
        try (RunContext again = new RunContext(killed.config())) {
            resumed = Backfill.run(again, options, Backfill.Listener.NONE);
            assertThat(Export.jsonLines(again)).isEqualTo(reference);
        }
        assertThat(resumed.plan().hoursDone() + resumed.plan().daysDone()).isEqualTo(finished.size());
        assertThat(resumed.hoursRun() + resumed.daysRun()).isEqualTo(9 - finished.size());

        Map<RunUnit, List<RunRecord>> afterRestart = attempts(killed.config());
        assertThat(afterRestart).hasSize(9);
        afterRestart.forEach((unit, runs) -> {
            assertThat(runs.get(runs.size() - 1).succeeded()).as("%s finished", unit).isTrue();
            int before = beforeRestart.getOrDefault(unit, List.of()).size();
            assertThat(runs).as("attempts of %s", unit).hasSize(finished.contains(unit) ? before : before + 1);
        });
    }

    @Test
    void theResultStageRunsOncePerDayAndTheStateEqualsResultsAfterEveryHour(AdrankStack.Services stack)
            throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.put("input.path", straight.config().input().path());
        Map<String, List<String>> stages = new LinkedHashMap<>();
        long[] nanos = new long[2];
        for (boolean everyHour : List.of(true, false)) {
            Map<String, String> ctxSettings = stack.newSettings(everyHour ? "bf_every_hour" : "bf_deferred", settings);
            try (RunContext ctx = new RunContext(adrank.loaders.config.AdrankConfig.load("local", ctxSettings))) {
                List<String> resultStages = new ArrayList<>();
                ctx.onPhase((run, phase) -> {
                    if (phase.equals("results")) {
                        resultStages.add(run);
                    }
                });
                ctx.spark(); // the session is shared and warm (the one-by-one runs): time the backfill alone
                long t0 = System.nanoTime();
                Backfill.Outcome outcome = Backfill.run(ctx,
                        new Backfill.Options(START, END, false, true, false, everyHour), Backfill.Listener.NONE);
                nanos[everyHour ? 0 : 1] = System.nanoTime() - t0;
                stages.put(everyHour ? "every hour" : "deferred", resultStages);
                assertThat(outcome.hoursRun()).isEqualTo(6);
                assertThat(outcome.daysRun()).isEqualTo(3);
                assertThat(outcome.hoursDeferred()).isEqualTo(everyHour ? 0 : 6);

                // the final state: every cell of both tables as the one-by-one runs with results after each hour left it
                assertThat(Export.jsonLines(ctx)).isEqualTo(reference);
                assertThat(cells(ctx)).isEqualTo(referenceCells);

                // the ledger: every hour recorded (as deferred, with the note status shows), every fold not
                List<RunRecord> runs = ctx.ledger().list(null);
                assertThat(runs).hasSize(9).allMatch(RunRecord::succeeded);
                for (RunRecord run : runs) {
                    boolean hour = run.unit().kind().equals(RunUnit.HOUR);
                    assertThat(run.resultsDeferred()).as("%s deferred", run.unit()).isEqualTo(hour && !everyHour);
                    if (hour && !everyHour) {
                        assertThat(run.message()).isEqualTo("results deferred to the fold of " + run.unit().day());
                    }
                }
                if (!everyHour) {
                    TestCli.Output status = TestCli.run(ctxSettings, "status", "--json");
                    assertThat(status.code()).isZero();
                    assertThat(status.out().lines().filter(l -> l.contains("\"results_deferred\":true"))).hasSize(6)
                            .allMatch(l -> l.contains("\"kind\":\"hour\""));
                    assertThat(status.out().lines().filter(l -> l.contains("\"results_deferred\":false"))).hasSize(3)
                            .allMatch(l -> l.contains("\"kind\":\"day\""));
                }
            }
        }
        // the result stage: after each of the 6 hours and each of the 3 folds, against once per day (the folds)
        assertThat(stages.get("every hour")).hasSize(9);
        assertThat(stages.get("deferred")).containsExactly("daily " + START, "daily " + START.plusDays(1),
                "daily " + END);
        System.out.printf(java.util.Locale.ROOT, "BackfillIT: 3 days x %d hours (%d keys): results after every hour "
                + "%.1f s, deferred to the folds %.1f s, speedup %.2fx%n", HOURS,
                reference.lines().count(), nanos[0] / 1e9, nanos[1] / 1e9, (double) nanos[0] / nanos[1]);
    }

    /** Per key, its result object of an export (run id and time are not in it). */
    private static Map<String, String> results(String export) throws IOException {
        Map<String, String> results = new TreeMap<>();
        for (String line : export.lines().toList()) {
            com.fasterxml.jackson.databind.JsonNode row = MAPPER.readTree(line);
            results.put(row.get("key").asText(), row.get("result").toString());
        }
        return results;
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * Every cell of the schema's ranks and parents tables (newest version), in table order, as
     * {@code table row family:qualifier=value}; a packed result cell is unpacked and its run id and
     * time left out. The cells' timestamps (write versions) are not compared.
     */
    private static List<String> cells(RunContext ctx) throws IOException {
        List<String> cells = new ArrayList<>();
        for (org.apache.hadoop.hbase.TableName table : List.of(ctx.schema().ranks(), ctx.schema().parents())) {
            try (org.apache.hadoop.hbase.client.Table t = ctx.hbaseWithTables().getTable(table);
                    org.apache.hadoop.hbase.client.ResultScanner scanner = t.getScanner(
                            new org.apache.hadoop.hbase.client.Scan())) {
                for (org.apache.hadoop.hbase.client.Result row : scanner) {
                    for (org.apache.hadoop.hbase.Cell cell : row.rawCells()) {
                        byte[] qualifier = org.apache.hadoop.hbase.CellUtil.cloneQualifier(cell);
                        byte[] value = org.apache.hadoop.hbase.CellUtil.cloneValue(cell);
                        String text;
                        if (java.util.Arrays.equals(qualifier, RankSchema.RANKING.qualifier())
                                && java.util.Arrays.equals(org.apache.hadoop.hbase.CellUtil.cloneFamily(cell),
                                        RankSchema.RESULT)) {
                            Map<String, String> ranking = new TreeMap<>();
                            RankSchema.RANKING.unpack(value, ranking);
                            assertThat(ranking).containsKeys("run_id", "computed_at");
                            ranking.remove("run_id");
                            ranking.remove("computed_at");
                            text = ranking.toString();
                        } else {
                            text = org.apache.hadoop.hbase.util.Bytes.toStringBinary(value);
                        }
                        cells.add(table.getQualifierAsString() + " "
                                + org.apache.hadoop.hbase.util.Bytes.toStringBinary(row.getRow()) + " "
                                + org.apache.hadoop.hbase.util.Bytes.toString(
                                        org.apache.hadoop.hbase.CellUtil.cloneFamily(cell)) + ":"
                                + org.apache.hadoop.hbase.util.Bytes.toStringBinary(qualifier) + "=" + text);
                    }
                }
            }
        }
        assertThat(cells).isNotEmpty();
        return cells;
    }

    private static Map<RunUnit, List<RunRecord>> attempts(adrank.loaders.config.AdrankConfig config)
            throws IOException {
        Map<RunUnit, List<RunRecord>> byUnit = new LinkedHashMap<>();
        try (RunContext ctx = new RunContext(config)) {
            for (RunRecord run : ctx.ledger().list(null)) {
                byUnit.computeIfAbsent(run.unit(), u -> new ArrayList<>()).add(run);
            }
        }
        return byUnit;
    }

    private static List<String> ledger(RunContext ctx) throws IOException {
        List<String> rows = new ArrayList<>();
        for (RunRecord run : ctx.ledger().list(null)) {
            rows.add(run.toString());
        }
        return rows;
    }

    /** Every file under a directory with its size and modification time. */
    private static Map<String, Long> files(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                files.put(root.relativize(p).toString(), Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return files;
    }
}
