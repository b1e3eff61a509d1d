package adrank.testdata;

import adrank.udfs.event.MalformedRowException;
import adrank.udfs.event.ParsedEvent;
import adrank.udfs.event.RawEventParser;
import adrank.udfs.experiment.ArmSums;
import adrank.udfs.experiment.Lift;
import adrank.udfs.experiment.Metric;
import adrank.udfs.experiment.Readout;
import adrank.udfs.experiment.SampleRatio;
import adrank.udfs.experiment.Variant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * A/A calibration: N generated experiments with no effect (each with its own seed and unit salt),
 * each read out through the same parser ({@link RawEventParser}), the same per-unit sums
 * ({@link ArmSums#ofUnit}) and the same statistics ({@link Readout#of}) as {@code rank abtest
 * report}; only the aggregation runs in plain Java instead of Spark (a Spark job per replay would
 * take minutes each on two cores). Counts how often each metric's 95 % interval covers zero (target
 * 93–97 %) and how often SRM fires (target ≤ 1 %).
 *
 * <pre>java -cp ... adrank.testdata.AaReplay REPLAYS [EVENTS_PER_HOUR] [HOURS] [UNITS]</pre>
 */
public final class AaReplay {

    /** The outcome of N replays. */
    public record Result(int replays, Map<Metric, Integer> covered, Map<Metric, Integer> coveredSequential,
            int srmFlags, long eventsPerReplay) {

        public double coverage(Metric m) {
            return (double) covered.get(m) / replays;
        }

        public double srmRate() {
            return (double) srmFlags / replays;
        }
    }

    private AaReplay() {
    }

    /**
     * Runs {@code replays} A/A experiments (seed {@code 1000 + i}, salt {@code aa-<i>}) at 50/50 in
     * geo=US over {@code hours} hours.
     */
    public static Result run(int replays, long eventsPerHour, int hours, int units, Path work) throws IOException {
        return run(replays, eventsPerHour, hours, units, GeneratorSettings.defaults().cpaShare(), work);
    }

    /** As above with {@code cpaShare} of the ads billed per conversion (the heaviest-tailed revenue). */
    public static Result run(int replays, long eventsPerHour, int hours, int units, double cpaShare, Path work)
            throws IOException {
        Map<Metric, Integer> covered = new EnumMap<>(Metric.class);
        Map<Metric, Integer> coveredSequential = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            covered.put(m, 0);
            coveredSequential.put(m, 0);
        }
        int srm = 0;
        long events = 0;
        for (int i = 0; i < replays; i++) {
            GeneratorSettings settings = GeneratorSettings.builder().seed(1000 + i).days(1).hoursPerDay(hours)
                    .eventsPerHour(eventsPerHour).keys(1_000).adServers(1).cpaShare(cpaShare).build();
            ExperimentSettings experiment = new ExperimentSettings("aa", "aa-" + i, "default", 1, 2, 0.5, 0.5, 0.0,
                    "geo", "US", units);
            Path dir = work.resolve("replay-" + i);
            events = EventGenerator.generate(settings, experiment, dir, null, 1).events();
            Readout r = readOut(dir, settings, "aa", 0.5);
            for (Metric m : Metric.values()) {
                if (r.metrics().get(m).lift().contains(0)) {
                    covered.merge(m, 1, Integer::sum);
                }
                if (r.metrics().get(m).liftSequential().contains(0)) {
                    coveredSequential.merge(m, 1, Integer::sum);
                }
            }
            srm += r.srm().mismatch() ? 1 : 0;
            delete(dir);
        }
        return new Result(replays, covered, coveredSequential, srm, events);
    }

    /** The readout of one generated data set: per (arm, unit) sums of the experiment's events, then per arm. */
    public static Readout readOut(Path root, GeneratorSettings settings, String name, double bShare) throws IOException {
        RawEventParser parser = new RawEventParser(RawEventLayout.KEY_COLUMNS, '|');
        Map<String, long[]> a = new HashMap<>();
        Map<String, long[]> b = new HashMap<>();
        for (int d = 0; d < settings.days(); d++) {
            for (int hr = 0; hr < settings.hoursPerDay(); hr++) {
                for (int s = 1; s <= settings.adServers(); s++) {
                    Path file = RawEventLayout.hourDirectory(root, settings.startDay().plusDays(d), hr)
                            .resolve(RawEventLayout.serverFileName(s));
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(
                            new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            add(parser, line, name, a, b);
                        }
                    }
                }
            }
        }
        return Readout.of(sum(a), sum(b), bShare, 0.95, Lift.DEFAULT_SEQUENTIAL_TUNING, SampleRatio.DEFAULT_THRESHOLD);
    }

    private static void add(RawEventParser parser, String line, String name, Map<String, long[]> a,
            Map<String, long[]> b) {
        ParsedEvent e;
        try {
            e = parser.parseLine(line);
        } catch (MalformedRowException ex) {
            return;
        }
        Variant v = e.variant();
        if (v == null || !v.experiment().equals(name)) {
            return;
        }
        long[] s = (v.arm() == Variant.Arm.A ? a : b).computeIfAbsent(e.unitId(), k -> new long[5]);
        switch (e.type()) {
            case IMP -> s[0]++;
            case CLICK -> s[1]++;
            case CONV -> s[2]++;
            default -> throw new IllegalStateException(String.valueOf(e.type()));
        }
        s[3] += e.revenueMicros();
        s[4] += e.valueMicros();
    }

    private static ArmSums sum(Map<String, long[]> units) {
        ArmSums sums = ArmSums.EMPTY;
        for (long[] s : units.values()) {
            sums = sums.plus(ArmSums.ofUnit(s[0], s[1], s[2], s[3], s[4]));
        }
        return sums;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 4) {
            System.err.println("usage: AaReplay REPLAYS [EVENTS_PER_HOUR] [HOURS] [UNITS]");
            System.exit(2);
        }
        int replays = Integer.parseInt(args[0]);
        long eventsPerHour = args.length > 1 ? Long.parseLong(args[1]) : 40_000;
        int hours = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int units = args.length > 3 ? Integer.parseInt(args[3]) : 2_000;
        Path work = Files.createTempDirectory("aa-replay");
        long start = System.nanoTime();
        Result r = run(replays, eventsPerHour, hours, units, work);
        Files.deleteIfExists(work);
        System.out.printf(Locale.ROOT, "%d A/A replays (%,d events each, %d hours, %,d units, geo=US, 50/50) in %.0f s%n",
                replays, r.eventsPerReplay(), hours, units, (System.nanoTime() - start) / 1e9);
        for (Metric m : Metric.values()) {
            System.out.printf(Locale.ROOT, "  %s: 95 %% interval covers 0 in %d/%d = %.1f %%; sequential %.1f %%%n",
                    m.code(), r.covered().get(m), replays, 100 * r.coverage(m),
                    100.0 * r.coveredSequential().get(m) / replays);
        }
        System.out.printf(Locale.ROOT, "  SRM (p < 0.001) fired in %d/%d = %.1f %%%n", r.srmFlags(), replays,
                100 * r.srmRate());
    }
}
