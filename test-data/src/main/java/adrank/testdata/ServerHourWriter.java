package adrank.testdata;

import adrank.testdata.Dimensions.Combination;
import adrank.testdata.Dimensions.Option;
import adrank.testdata.KeyUniverse.Billing;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.GuideTableDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.PoissonSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Writes the events one ad server logged in one hour into one gzip file, in time order.
 *
 * <p>The hour holds a fixed number of impressions, evenly spaced. Each is clicked with its key's
 * CTR after a {@link Traffic#clickLag() click lag}; a click converts with probability
 * {@code (1 - vt) * CVR} after a {@link Traffic#conversionLag() conversion lag}; an impression that
 * is not clicked converts without a click (view-through) with probability {@code vt * CTR * CVR},
 * after a conversion lag counted from the impression. Follow-ups that land in this hour are written
 * at their moment with the impression's {@code request_id}; those that land later are not written
 * here. Instead the hour receives late arrivals, drawn from the expected rate of follow-ups that
 * earlier hours sent into it ({@link Traffic}): for each kind a Poisson number, keys picked in
 * proportion to their weight, moments uniform in the hour, each with a fresh {@code request_id}. A
 * late click is a click of this hour like any other: it may convert in this hour or later.
 *
 * <p>Revenue: CPM-billed ads charge on impressions ({@code revenue_micros} = the key's price times
 * a mean-one noise factor, as auction clearing prices vary), CPC-billed ads on clicks (price per
 * click = price per impression / CTR, times the same noise), CPA-billed ads on conversions (price
 * per impression / (CTR * CVR), times the noise); either way a key's expected revenue per 1000
 * impressions is its truth {@code cpm_micros}. Conversions carry {@code value_micros}.
 */
final class ServerHourWriter {

    /** Result of one file. */
    record FileResult(long impressions, long clicks, long conversions, long lateClicks, long lateConversions,
            long earlierDayConversions, long viewThroughConversions, long badRows, long bytes, BitSet keysSeen) {

        long events() {
            return impressions + clicks + conversions;
        }
    }

    /** Spread of the clearing price of single impressions around the key's mean price. */
    private static final double EVENT_PRICE_SIGMA = 0.3;
    /** Spread of single conversion values (basket sizes) around the key's mean value. */
    private static final double EVENT_VALUE_SIGMA = 0.5;
    /** Tidy clicks (no click lag): uniformly within this many seconds of the impression, clamped to the hour. */
    private static final double TIDY_CLICK_DELAY_MAX_SECONDS = 60;
    /** Tidy conversions (no conversion lag): uniformly within this many seconds, and within the hour. */
    private static final double TIDY_CONVERSION_DELAY_MAX_SECONDS = 900;
    private static final double SECONDS_PER_HOUR = LagDistribution.SECONDS_PER_HOUR;
    /** The last moment of the hour, what tidy clicks are clamped to. */
    private static final double LAST_MOMENT = Math.nextDown(SECONDS_PER_HOUR);

    /** Longer than any line: ad columns, audience columns and ISP are a few dozen bytes each. */
    private static final int MAX_LINE_BYTES = 1024;
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int GZIP_BUFFER_BYTES = 1 << 16;

    private static final byte[] IMP = ascii("imp");
    private static final byte[] CLICK = ascii("click");
    private static final byte[] CONV = ascii("conv");
    private static final byte[][] SOURCE_COLUMNS = Dimensions.TRAFFIC_SOURCES.stream()
            .map(Option::value).map(ServerHourWriter::ascii).toArray(byte[][]::new);
    private static final double[] SOURCE_WEIGHTS = Dimensions.weights(Dimensions.TRAFFIC_SOURCES);
    private static final byte[][] COMBINATION_COLUMNS = Dimensions.COMBINATIONS.stream()
            .map(Combination::tabFramedColumns).toArray(byte[][]::new);
    private static final byte[][][] ISPS_BY_COMBINATION = Dimensions.COMBINATIONS.stream()
            .map(c -> c.geo().isps().stream().map(ServerHourWriter::ascii).toArray(byte[][]::new))
            .toArray(byte[][][]::new);

    private final KeyUniverse universe;
    private final Traffic traffic;
    private final int hr;
    private final int servers;
    private final UniformRandomProvider rng;
    private final DiscreteSampler keys;
    private final DiscreteSampler sources;
    private final NormalizedGaussianSampler gaussian;
    private final ContinuousSampler priceNoise;
    private final ContinuousSampler valueNoise;
    private final LagDistribution clickLag;
    private final LagDistribution conversionLag;
    private final byte[] timestampPrefix;
    private final long impressionQuota;
    private final List<BadRow> badRows;
    private final BitSet keysSeen;
    /** The simulated experiment, or null (then lines have the 15 columns and the bytes are as before). */
    private final ExperimentRun experiment;
    /** Draws the unit of each request (its own stream: the experiment changes no other draw). */
    private final UniformRandomProvider unitRng;
    /** Clicks and conversions of this hour not yet written, by moment (then by creation). */
    private final PriorityQueue<Event> pending = new PriorityQueue<>(
            Comparator.comparingDouble(Event::time).thenComparingLong(Event::order));
    private long created;
    private LineBuffer out;
    private long impressions;
    private long clicks;
    private long conversions;
    private long lateClicks;
    private long lateConversions;
    private long earlierDayConversions;
    private long viewThroughConversions;

    /** A click or conversion waiting for its moment. */
    private record Event(double time, long order, byte[] type, long requestId, int key, int source, byte[] isp,
            long revenue, long value, int unit) {
    }

    private ServerHourWriter(KeyUniverse universe, Traffic traffic, ExperimentRun experiment, LocalDate dt, int hr,
            int server) {
        GeneratorSettings settings = traffic.settings();
        this.universe = universe;
        this.traffic = traffic;
        this.hr = hr;
        this.servers = settings.adServers();
        this.rng = Seeds.stream(settings.seed(), Seeds.FILE, dt.toEpochDay(), hr, server);
        this.keys = RejectionInversionZipfSampler.of(rng, universe.size(), universe.zipfExponent());
        this.sources = GuideTableDiscreteSampler.of(rng, SOURCE_WEIGHTS);
        this.gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        this.priceNoise = KeyUniverse.meanOneLogNormal(gaussian, EVENT_PRICE_SIGMA);
        this.valueNoise = KeyUniverse.meanOneLogNormal(gaussian, EVENT_VALUE_SIGMA);
        this.clickLag = traffic.clickLag();
        this.conversionLag = traffic.conversionLag();
        this.timestampPrefix = ascii(dt + " " + (hr < 10 ? "0" : "") + hr + ":");
        this.impressionQuota = share(traffic.impressionsForHour(hr), servers, server);
        this.badRows = badRowsOf(settings, server);
        this.keysSeen = new BitSet(universe.size());
        this.experiment = experiment;
        this.unitRng = experiment == null ? null : Seeds.stream(settings.seed(), Seeds.UNIT, dt.toEpochDay(), hr, server);
    }

    /** Writes {@code file} for ad server {@code server} (1-based) and returns what it holds. */
    static FileResult write(KeyUniverse universe, Traffic traffic, ExperimentRun experiment, LocalDate dt, int hr,
            int server, Path file) throws IOException {
        return new ServerHourWriter(universe, traffic, experiment, dt, hr, server).writeTo(file);
    }

    /** Server {@code server}'s part of {@code total}, splitting as evenly as possible. */
    private static long share(long total, int servers, int server) {
        return total / servers + (server - 1 < total % servers ? 1 : 0);
    }

    /** Bad rows {@code j = server-1, server-1+servers, ...} of the hour land in this file. */
    private static List<BadRow> badRowsOf(GeneratorSettings settings, int server) {
        BadRow[] kinds = BadRow.values();
        return IntStream.iterate(server - 1, j -> j < settings.badRowsPerHour(), j -> j + settings.adServers())
                .mapToObj(j -> kinds[j % kinds.length])
                .toList();
    }

    private FileResult writeTo(Path file) throws IOException {
        try (OutputStream gzip = new FastGzipOutputStream(Files.newOutputStream(file))) {
            out = new LineBuffer(gzip, BUFFER_BYTES);
            drawLateArrivals();
            long n = impressionQuota;
            int nextBad = 0;
            for (long j = 0; j < n; j++) {
                double t = j * SECONDS_PER_HOUR / n;
                // Bad rows sit at evenly spaced positions among the impressions.
                while (nextBad < badRows.size() && j >= (nextBad + 1) * n / (badRows.size() + 1)) {
                    writeBadRow(badRows.get(nextBad++), (int) t);
                }
                writePendingUntil(t);
                writeImpression(t);
            }
            while (nextBad < badRows.size()) {
                writeBadRow(badRows.get(nextBad++), 0);
            }
            writePendingUntil(SECONDS_PER_HOUR);
            out.flush();
        }
        return new FileResult(impressions, clicks, conversions, lateClicks, lateConversions, earlierDayConversions,
                viewThroughConversions, badRows.size(), Files.size(file), keysSeen);
    }

    /** Queues this server's share of the clicks and conversions that earlier hours sent into this one. */
    private void drawLateArrivals() {
        for (int kind = 0; kind < Traffic.KINDS; kind++) {
            long sameDay = poisson(traffic.lateSameDay(kind, hr) / servers);
            long earlierDays = poisson(traffic.lateEarlierDays(kind, hr) / servers);
            long arrivals = sameDay + earlierDays;
            for (long a = 0; a < arrivals; a++) {
                double time = rng.nextDouble() * SECONDS_PER_HOUR;
                long requestId = rng.nextLong();
                int source = sources.sample();
                if (kind == Traffic.CLICK) {
                    int key = lateKey(false);
                    clickAt(time, requestId, key, source, isp(key), unit());
                } else {
                    int key = lateKey(true);
                    conversionAt(time, requestId, key, source, isp(key), unit());
                }
            }
            if (kind == Traffic.CLICK) {
                lateClicks += arrivals;
            } else {
                lateConversions += arrivals;
                earlierDayConversions += earlierDays;
                if (kind == Traffic.VIEW_THROUGH) {
                    viewThroughConversions += arrivals;
                }
            }
        }
    }

    private long poisson(double mean) {
        return mean > 0 ? PoissonSampler.of(rng, mean).sample() : 0;
    }

    /**
     * A key with probability proportional to {@code share * ctr} (a click) or
     * {@code share * ctr * cvr} (a conversion): a Zipf draw by share, accepted in proportion to the
     * rate. Late arrivals are few, so the rejections cost little and no table of a million weights
     * is needed.
     */
    private int lateKey(boolean conversion) {
        double bound = conversion ? traffic.maxConversionsPerImpression() : traffic.maxCtr();
        while (true) {
            int key = keys.sample() - 1;
            double weight = conversion ? universe.conversionsPerImpression(key) : universe.ctr(key);
            if (rng.nextDouble() * bound < weight) {
                return key;
            }
        }
    }

    /** Writes the queued events up to and including moment {@code t}. */
    private void writePendingUntil(double t) throws IOException {
        Event next;
        while ((next = pending.peek()) != null && next.time <= t) {
            pending.poll();
            if (next.type == CLICK) {
                clicks++;
            } else {
                conversions++;
            }
            line(next.type, (int) next.time, next.requestId, next.key, next.source, next.isp, next.revenue, next.value,
                    next.unit);
        }
    }

    /** Writes an impression and queues its click or view-through conversion, if any lands in this hour. */
    private void writeImpression(double t) throws IOException {
        int key = keys.sample() - 1;
        long requestId = rng.nextLong();
        int source = sources.sample();
        byte[] isp = isp(key);
        keysSeen.set(key);
        impressions++;
        int unit = unit();
        line(IMP, (int) t, requestId, key, source, isp, universe.billing(key) == Billing.CPM ? revenue(key) : 0, 0, unit);
        double u = rng.nextDouble();
        if (u < universe.ctr(key)) {
            double clickTime = clickLag == null
                    ? Math.min(t + TIDY_CLICK_DELAY_MAX_SECONDS * rng.nextDouble(), LAST_MOMENT)
                    : t + clickLag.sample(gaussian);
            if (clickTime < SECONDS_PER_HOUR) {
                clickAt(clickTime, requestId, key, source, isp, unit);
            }
        } else if (u < universe.viewThroughThreshold(key)) {
            double conversionTime = t + conversionDelay(t);
            if (conversionTime < SECONDS_PER_HOUR) {
                viewThroughConversions++;
                conversionAt(conversionTime, requestId, key, source, isp, unit);
            }
        }
    }

    /** The traffic unit of a new request (-1 without an experiment: no draw, no column). */
    private int unit() {
        return experiment == null ? -1 : unitRng.nextInt(experiment.units());
    }

    /** Queues a click at {@code time} of this hour, and its conversion if it converts within the hour. */
    private void clickAt(double time, long requestId, int key, int source, byte[] isp, int unit) {
        long revenue = universe.billing(key) == Billing.CPC
                ? Math.round(universe.pricePerClick(key) * priceNoise.sample()) : 0;
        pending.add(new Event(time, created++, CLICK, requestId, key, source, isp, revenue, 0, unit));
        if (rng.nextDouble() < universe.clickConversionRate(key)) {
            double conversionTime = time + conversionDelay(time);
            if (conversionTime < SECONDS_PER_HOUR) {
                conversionAt(conversionTime, requestId, key, source, isp, unit);
            }
        }
    }

    /** Delay of a conversion after a click or impression at {@code time}. */
    private double conversionDelay(double time) {
        if (conversionLag != null) {
            return conversionLag.sample(gaussian);
        }
        double window = Math.min(TIDY_CONVERSION_DELAY_MAX_SECONDS, SECONDS_PER_HOUR - time);
        return Math.min(window * rng.nextDouble(), LAST_MOMENT - time);
    }

    /** Queues a conversion at {@code time} of this hour. */
    private void conversionAt(double time, long requestId, int key, int source, byte[] isp, int unit) {
        long value = Math.round(universe.valuePerConversion(key) * valueNoise.sample());
        long revenue = universe.billing(key) == Billing.CPA
                ? Math.round(universe.pricePerConversion(key) * priceNoise.sample()) : 0;
        pending.add(new Event(time, created++, CONV, requestId, key, source, isp, revenue, value, unit));
    }

    /** Renders a good impression line, then rewrites it with the defect. */
    private void writeBadRow(BadRow kind, int second) throws IOException {
        int key = keys.sample() - 1;
        out.reserve(MAX_LINE_BYTES);
        int start = out.position();
        line(IMP, second, rng.nextLong(), key, sources.sample(), isp(key), revenue(key), 0, -1);
        String good = out.cut(start);
        byte[] bad = ascii(kind.corrupt(good.substring(0, good.length() - 1).split("\t", -1)));
        out.reserve(bad.length + 1);
        out.put(bad);
        out.put('\n');
    }

    private long revenue(int key) {
        return Math.round(universe.pricePerImpression(key) * priceNoise.sample());
    }

    private byte[] isp(int key) {
        byte[][] isps = ISPS_BY_COMBINATION[universe.combinationIndex(key)];
        return isps[rng.nextInt(isps.length)];
    }

    private void line(byte[] event, int second, long requestId, int key, int source, byte[] isp, long revenue, long value,
            int unit) throws IOException {
        byte[] variant = null;
        if (unit >= 0 && experiment.inScope(universe.combinationIndex(key))) {
            boolean b = experiment.inB(unit);
            variant = experiment.variant(b);
            if (b && revenue > 0) {
                long lifted = experiment.lifted(revenue);
                experiment.bRevenueBefore.addAndGet(revenue);
                experiment.bRevenueAfter.addAndGet(lifted);
                revenue = lifted;
            }
            if (event == IMP) {
                (b ? experiment.impressionsB : experiment.impressionsA).incrementAndGet();
            }
        } else if (unit >= 0 && event == IMP) {
            experiment.impressionsOutOfScope.incrementAndGet();
        }
        LineBuffer b = out;
        b.reserve(MAX_LINE_BYTES);
        b.put(timestampPrefix);
        b.putTwoDigits(second / 60);
        b.put(':');
        b.putTwoDigits(second % 60);
        b.put('\t');
        b.put(event);
        b.put('\t');
        b.putHex(requestId);
        b.put('\t');
        b.put(universe.adColumnsOf(key));
        b.put(SOURCE_COLUMNS[source]);
        b.put(COMBINATION_COLUMNS[universe.combinationIndex(key)]);
        b.put(isp);
        b.put('\t');
        b.putLong(revenue);
        b.put('\t');
        b.putLong(value);
        if (unit >= 0) {
            b.put('\t');
            b.put(experiment.unitColumn(unit));
            b.put('\t');
            if (variant != null) {
                b.put(variant);
            }
        }
        b.put('\n');
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * gzip at the fastest level: compression dominates generation time. On these lines the
     * default level 6 gives ~25 % smaller files for ~2.3 times the CPU.
     */
    private static final class FastGzipOutputStream extends GZIPOutputStream {

        FastGzipOutputStream(OutputStream out) throws IOException {
            super(out, GZIP_BUFFER_BYTES);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
