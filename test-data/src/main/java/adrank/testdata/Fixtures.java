package adrank.testdata;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** The small checked-in fixtures, installed into a data directory as the jobs expect them. */
public final class Fixtures {

    /** Files of the {@code tiny} fixture, relative to its root (see its README.md). */
    private static final List<String> TINY = List.of(
            "t_raw_events/dt=2026-01-01/hr=00/adserver-01.tsv",
            "t_raw_events/dt=2026-01-01/hr=00/adserver-02.tsv",
            "t_raw_events/dt=2026-01-01/hr=00/_SUCCESS",
            "t_raw_events/dt=2026-01-01/hr=01/adserver-01.tsv",
            "t_raw_events/dt=2026-01-01/hr=01/_SUCCESS",
            "t_raw_events/dt=2026-01-02/hr=00/adserver-01.tsv",
            "t_raw_events/dt=2026-01-02/hr=00/_SUCCESS",
            "t_raw_events/dt=2026-01-02/hr=03/_SUCCESS",
            "t_raw_events/dt=2026-01-02/hr=05/adserver-01.tsv",
            "t_raw_events/dt=2026-01-02/hr=05/_SUCCESS");

    private Fixtures() {
    }

    /**
     * Copies the {@code tiny} fixture under {@code dataDir}, gzipping each {@code .tsv} into
     * {@code .tsv.gz} as ad servers write them; {@code _SUCCESS} markers are copied last per hour.
     */
    public static void installTiny(Path dataDir) {
        try {
            for (String file : TINY) {
                Path target = dataDir.resolve(file.endsWith(".tsv") ? file + ".gz" : file);
                Files.createDirectories(target.getParent());
                try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/tiny/" + file)) {
                    if (in == null) {
                        throw new IllegalStateException("fixture file missing from the classpath: " + file);
                    }
                    try (OutputStream out = file.endsWith(".tsv")
                            ? new GZIPOutputStream(Files.newOutputStream(target))
                            : Files.newOutputStream(target)) {
                        in.transferTo(out);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the tiny fixture under " + dataDir, e);
        }
    }
}
