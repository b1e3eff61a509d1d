package adrank.testdata;

import adrank.testdata.ServerHourWriter.FileResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates hourly {@code t_raw_events} partitions with known ground truth (see
 * {@link RawEventLayout} for the layout and the event semantics).
 *
 * <p>The files of an hour are written in parallel, one task per ad server, each with its own random
 * stream seeded from (seed, dt, hr, server): the bytes depend on the settings only, never on the
 * thread count. An hour's {@code _SUCCESS} marker is written after all its files are closed.
 *
 * <p>Hours are independent of each other too, so {@link #generateHour} rewrites exactly the bytes
 * that {@link #generate} wrote for that hour: clicks and conversions that lag past the end of their
 * impression's hour are not carried over by replaying earlier hours, but drawn in every hour from
 * their expected rate in a steady state ({@link Traffic}), as if traffic had run before the first
 * generated day.
 */
public final class EventGenerator {

    private static final Logger LOG = LoggerFactory.getLogger(EventGenerator.class);

    private EventGenerator() {
    }

    /**
     * Writes {@code truth/keys.tsv} and every hour of the settings' days, oldest first, with one
     * thread per ad server up to the number of processors.
     *
     * @param outputDir root of the layout; created if missing, hours and truth in it overwritten
     * @param listener  told about each finished hour; may be null
     * @return what was written; {@code elapsed} includes building the keys and writing the truth
     */
    public static GenerationSummary generate(GeneratorSettings settings, Path outputDir, ProgressListener listener)
            throws IOException {
        return generate(settings, outputDir, listener, defaultThreads(settings));
    }

    /** As {@link #generate(GeneratorSettings, Path, ProgressListener)} with {@code threads} worker threads. */
    public static GenerationSummary generate(
            GeneratorSettings settings, Path outputDir, ProgressListener listener, int threads) throws IOException {
        return generate(settings, null, outputDir, listener, threads);
    }

    /**
     * As {@link #generate(GeneratorSettings, Path, ProgressListener, int)} with a simulated running
     * experiment (null = none): lines get the {@code unit_id} and {@code variant} columns, B's revenue
     * in scope is lifted, and {@code truth/experiment.tsv} records the truth. The other columns of
     * every line are the same bytes as without the experiment when its lift is 0 (A/A).
     */
    public static GenerationSummary generate(GeneratorSettings settings, ExperimentSettings experiment, Path outputDir,
            ProgressListener listener, int threads) throws IOException {
        long start = System.nanoTime();
        ExperimentRun run = experiment == null ? null : new ExperimentRun(experiment);
        KeyUniverse universe = KeyUniverse.build(settings);
        Traffic traffic = Traffic.of(settings, universe);
        universe.writeTruth(RawEventLayout.truthFile(outputDir));
        List<HourSummary> hours = new ArrayList<>();
        BitSet keysSeen = new BitSet(settings.keys());
        ExecutorService pool = newPool(threads);
        try {
            for (int d = 0; d < settings.days(); d++) {
                LocalDate dt = settings.startDay().plusDays(d);
                for (int hr = 0; hr < settings.hoursPerDay(); hr++) {
                    HourSummary hour = writeHour(universe, traffic, run, outputDir, dt, hr, pool, keysSeen);
                    hours.add(hour);
                    if (listener != null) {
                        listener.hourFinished(hour);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (run != null) {
            run.writeTruth(experimentTruthFile(outputDir));
        }
        GenerationSummary summary = summarise(hours, keysSeen, start);
        LOG.info("Generated {} hours, {} files, {} events ({} bad rows), {} bytes in {} ({} events/s) under {}",
                summary.hours(), summary.files(), summary.events(), summary.badRows(), summary.bytesCompressed(),
                summary.elapsed(), Math.round(summary.eventsPerSecond()), outputDir);
        return summary;
    }

    /**
     * Writes (or rewrites) the single hour {@code dt}/{@code hr}, e.g. to deliver late data or to
     * benchmark one partition. The settings' {@code startDay}, {@code days} and {@code hoursPerDay}
     * are not consulted, and the truth file is not written (see {@link #writeTruth}). The key
     * universe is built on every call, which for a million keys takes about half a second.
     *
     * @param hr hour of day, 0..23
     * @return what was written, as a one-hour summary
     */
    public static GenerationSummary generateHour(GeneratorSettings settings, Path outputDir, LocalDate dt, int hr)
            throws IOException {
        return generateHour(settings, outputDir, dt, hr, defaultThreads(settings));
    }

    /** As {@link #generateHour(GeneratorSettings, Path, LocalDate, int)} with {@code threads} worker threads. */
    public static GenerationSummary generateHour(
            GeneratorSettings settings, Path outputDir, LocalDate dt, int hr, int threads) throws IOException {
        if (hr < 0 || hr > 23) {
            throw new IllegalArgumentException("hr must be between 0 and 23, got " + hr);
        }
        long start = System.nanoTime();
        KeyUniverse universe = KeyUniverse.build(settings);
        Traffic traffic = Traffic.of(settings, universe);
        BitSet keysSeen = new BitSet(settings.keys());
        ExecutorService pool = newPool(threads);
        try {
            HourSummary hour = writeHour(universe, traffic, null, outputDir, dt, hr, pool, keysSeen);
            return summarise(List.of(hour), keysSeen, start);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writes only {@code <outputDir>/truth/keys.tsv} for these settings. */
    public static void writeTruth(GeneratorSettings settings, Path outputDir) throws IOException {
        KeyUniverse.build(settings).writeTruth(RawEventLayout.truthFile(outputDir));
    }

    private static int defaultThreads(GeneratorSettings settings) {
        return Math.min(settings.adServers(), Runtime.getRuntime().availableProcessors());
    }

    private static ExecutorService newPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        AtomicInteger count = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "adrank-generator-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** {@code <root>/truth/experiment.tsv}, the truth of a simulated experiment. */
    public static Path experimentTruthFile(Path outputDir) {
        return RawEventLayout.truthFile(outputDir).resolveSibling("experiment.tsv");
    }

    private static HourSummary writeHour(KeyUniverse universe, Traffic traffic, ExperimentRun experiment, Path outputDir,
            LocalDate dt, int hr, ExecutorService pool, BitSet keysSeen) throws IOException {
        long start = System.nanoTime();
        Path directory = RawEventLayout.hourDirectory(outputDir, dt, hr);
        clear(directory);
        List<Future<FileResult>> files = new ArrayList<>();
        for (int server = 1; server <= traffic.settings().adServers(); server++) {
            Path file = directory.resolve(RawEventLayout.serverFileName(server));
            int s = server;
            files.add(pool.submit(() -> ServerHourWriter.write(universe, traffic, experiment, dt, hr, s, file)));
        }
        long[] sums = new long[9];
        for (Future<FileResult> future : files) {
            FileResult file = await(future);
            sums[0] += file.impressions();
            sums[1] += file.clicks();
            sums[2] += file.conversions();
            sums[3] += file.lateClicks();
            sums[4] += file.lateConversions();
            sums[5] += file.earlierDayConversions();
            sums[6] += file.viewThroughConversions();
            sums[7] += file.badRows();
            sums[8] += file.bytes();
            keysSeen.or(file.keysSeen());
        }
        Files.createFile(directory.resolve(RawEventLayout.SUCCESS_MARKER));
        HourSummary hour = new HourSummary(dt, hr, files.size(), sums[0] + sums[1] + sums[2], sums[0], sums[1],
                sums[2], sums[3], sums[4], sums[5], sums[6], sums[7], sums[8],
                Duration.ofNanos(System.nanoTime() - start));
        LOG.debug("Generated {}", hour);
        return hour;
    }

    /**
     * Empties an hour directory before it is rewritten, marker first, so that no reader takes a
     * half-rewritten hour for complete.
     */
    private static void clear(Path directory) throws IOException {
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(RawEventLayout.SUCCESS_MARKER));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Files::isRegularFile)) {
            for (Path entry : entries) {
                Files.delete(entry);
            }
        }
    }

    private static FileResult await(Future<FileResult> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while generating");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static GenerationSummary summarise(List<HourSummary> hours, BitSet keysSeen, long startNanos) {
        return new GenerationSummary(
                hours.size(),
                hours.stream().mapToInt(HourSummary::files).sum(),
                hours.stream().mapToLong(HourSummary::events).sum(),
                hours.stream().mapToLong(HourSummary::impressions).sum(),
                hours.stream().mapToLong(HourSummary::clicks).sum(),
                hours.stream().mapToLong(HourSummary::conversions).sum(),
                hours.stream().mapToLong(HourSummary::lateClicks).sum(),
                hours.stream().mapToLong(HourSummary::lateConversions).sum(),
                hours.stream().mapToLong(HourSummary::earlierDayConversions).sum(),
                hours.stream().mapToLong(HourSummary::viewThroughConversions).sum(),
                hours.stream().mapToLong(HourSummary::badRows).sum(),
                hours.stream().mapToLong(HourSummary::bytesCompressed).sum(),
                keysSeen.cardinality(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
