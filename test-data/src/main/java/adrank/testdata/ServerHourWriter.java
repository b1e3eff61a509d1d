package adrank.testdata;

import adrank.testdata.Dimensions.Combination;
import adrank.testdata.Dimensions.Option;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.GuideTableDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.NormalizedGaussianSampler;
import org.apache.commons.rng.sampling.distribution.RejectionInversionZipfSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * Writes the events one ad server logged in one hour into one gzip file.
 *
 * <p>Each impression is followed, with probability {@code ctr} of its key, by a click of the same
 * request, and that click, with probability {@code cvr}, by a conversion, all in this file and hour.
 * Revenue: CPM-billed ads charge on impressions ({@code revenue_micros} = the key's price times a
 * mean-one noise factor, as auction clearing prices vary), CPC-billed ads charge on clicks (price
 * per click = price per impression / CTR, times the same noise); either way a key's expected
 * revenue per 1000 impressions is its truth {@code cpm_micros}. Conversions carry
 * {@code value_micros} and no revenue.
 */
final class ServerHourWriter {

    /** Result of one file. */
    record FileResult(long impressions, long clicks, long conversions, long badRows, long bytes, BitSet keysSeen) {

        long events() {
            return impressions + clicks + conversions;
        }
    }

    /** Spread of the clearing price of single impressions around the key's mean price. */
    private static final double EVENT_PRICE_SIGMA = 0.3;
    /** Spread of single conversion values (basket sizes) around the key's mean value. */
    private static final double EVENT_VALUE_SIGMA = 0.5;
    private static final int CLICK_DELAY_MAX_SECONDS = 60;
    private static final int CONVERSION_DELAY_MAX_SECONDS = 900;
    private static final int SECONDS_PER_HOUR = 3600;

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
    private final UniformRandomProvider rng;
    private final DiscreteSampler keys;
    private final DiscreteSampler sources;
    private final ContinuousSampler priceNoise;
    private final ContinuousSampler valueNoise;
    private final byte[] timestampPrefix;
    private final long quota;
    private final List<BadRow> badRows;
    private final BitSet keysSeen;
    private LineBuffer out;
    private long impressions;
    private long clicks;
    private long conversions;

    private ServerHourWriter(KeyUniverse universe, GeneratorSettings settings, LocalDate dt, int hr, int server) {
        this.universe = universe;
        this.rng = Seeds.stream(settings.seed(), Seeds.FILE, dt.toEpochDay(), hr, server);
        this.keys = RejectionInversionZipfSampler.of(rng, universe.size(), universe.zipfExponent());
        this.sources = GuideTableDiscreteSampler.of(rng, SOURCE_WEIGHTS);
        NormalizedGaussianSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        this.priceNoise = KeyUniverse.meanOneLogNormal(gaussian, EVENT_PRICE_SIGMA);
        this.valueNoise = KeyUniverse.meanOneLogNormal(gaussian, EVENT_VALUE_SIGMA);
        this.timestampPrefix = ascii(dt + " " + (hr < 10 ? "0" : "") + hr + ":");
        this.quota = share(settings.targetEventsForHour(hr), settings.adServers(), server);
        this.badRows = badRowsOf(settings, server);
        this.keysSeen = new BitSet(universe.size());
    }

    /** Writes {@code file} for ad server {@code server} (1-based) and returns what it holds. */
    static FileResult write(KeyUniverse universe, GeneratorSettings settings, LocalDate dt, int hr, int server, Path file)
            throws IOException {
        return new ServerHourWriter(universe, settings, dt, hr, server).writeTo(file);
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
            long written = 0;
            int nextBad = 0;
            while (written < quota) {
                // Bad rows sit at evenly spaced positions among the good lines.
                while (nextBad < badRows.size() && written >= (nextBad + 1) * quota / (badRows.size() + 1)) {
                    writeBadRow(badRows.get(nextBad++), second(written));
                }
                written += writeImpression(second(written));
            }
            while (nextBad < badRows.size()) {
                writeBadRow(badRows.get(nextBad++), second(written));
            }
            out.flush();
        }
        return new FileResult(impressions, clicks, conversions, badRows.size(), Files.size(file), keysSeen);
    }

    /** Lines go through the hour in order; clicks and conversions trail their impression. */
    private int second(long written) {
        return quota == 0 ? 0 : (int) (written * SECONDS_PER_HOUR / quota);
    }

    /** Writes an impression and its click and conversion, if any; returns the number of lines. */
    private int writeImpression(int second) throws IOException {
        int key = keys.sample() - 1;
        long requestId = rng.nextLong();
        int source = sources.sample();
        byte[] isp = isp(key);
        keysSeen.set(key);
        impressions++;
        boolean cpc = universe.cpcBilled(key);
        line(IMP, second, requestId, key, source, isp, cpc ? 0 : revenue(key), 0);
        if (rng.nextDouble() >= universe.ctr(key)) {
            return 1;
        }
        int clickSecond = Math.min(SECONDS_PER_HOUR - 1, second + rng.nextInt(CLICK_DELAY_MAX_SECONDS));
        clicks++;
        line(CLICK, clickSecond, requestId, key, source, isp,
                cpc ? Math.round(universe.pricePerClick(key) * priceNoise.sample()) : 0, 0);
        if (rng.nextDouble() >= universe.cvr(key)) {
            return 2;
        }
        int conversionSecond = clickSecond
                + rng.nextInt(Math.min(CONVERSION_DELAY_MAX_SECONDS, SECONDS_PER_HOUR - clickSecond));
        long value = Math.round(universe.valuePerConversion(key) * valueNoise.sample());
        conversions++;
        line(CONV, conversionSecond, requestId, key, source, isp, 0, value);
        return 3;
    }

    /** Renders a good impression line, then rewrites it with the defect. */
    private void writeBadRow(BadRow kind, int second) throws IOException {
        int key = keys.sample() - 1;
        out.reserve(MAX_LINE_BYTES);
        int start = out.position();
        line(IMP, second, rng.nextLong(), key, sources.sample(), isp(key), revenue(key), 0);
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

    private void line(byte[] event, int second, long requestId, int key, int source, byte[] isp, long revenue, long value)
            throws IOException {
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
