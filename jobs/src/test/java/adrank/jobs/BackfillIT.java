package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.Backfill;
import adrank.jobs.pipeline.Compare;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
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
 * one; into {@code --schema S} it leaves the scheduled schema untouched; interrupted in the middle
 * of a unit and started again it finishes with the same state without redoing finished units.
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
        }
        reference = Export.jsonLines(straight);
        assertThat(reference.lines().count()).isGreaterThan(300);
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
