package adrank.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Writes hand-made hour partitions for integration tests. */
final class TestHours {

    private TestHours() {
    }

    /** One raw line; the key components are ad_id, geo, device, os, browser, connection. */
    static String line(String ts, String event, String adId, String geo, String browser, long revenue, long value) {
        return String.join("\t", ts, event, "req", adId, "cmp1", "adv1", "search", geo, "mobile", "android", browser,
                "wifi", "isp", String.valueOf(revenue), String.valueOf(value));
    }

    /** Replaces the hour's directory with one gzip file of these lines and a _SUCCESS marker. */
    static Path writeHour(Path dataDir, String day, String hr, List<String> lines) {
        return writeHourBytes(dataDir, day, hr, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** {@link #writeHour} with each line given as its bytes (which need not be UTF-8). */
    static Path writeHourBytes(Path dataDir, String day, String hr, List<byte[]> lines) {
        Path dir = dataDir.resolve("t_raw_events/dt=" + day + "/hr=" + hr);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("adserver-01.tsv.gz")))) {
                for (byte[] line : lines) {
                    out.write(line);
                    out.write('\n');
                }
            }
            Files.createFile(dir.resolve("_SUCCESS"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }
}
