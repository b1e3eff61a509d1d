package adrank.testdata;

import static adrank.testdata.RawEventLayout.EVENT;
import static adrank.testdata.RawEventLayout.EVENT_TYPES;
import static adrank.testdata.RawEventLayout.REVENUE_MICROS;
import static adrank.testdata.RawEventLayout.TS;
import static adrank.testdata.RawEventLayout.VALUE_MICROS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads generated files back and judges lines the way a strict reader of t_raw_events would. */
final class GeneratedData {

    static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    /** Positions of ad_id, geo, device, os, browser, connection in a line. */
    static final int[] KEY_POSITIONS = {3, 7, 8, 9, 10, 11};

    private GeneratedData() {
    }

    static List<String> lines(Path gzipFile) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gzipFile)), StandardCharsets.UTF_8))) {
            return in.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Data files of an hour, in server order. */
    static List<Path> files(Path root, LocalDate dt, int hr) {
        try (Stream<Path> entries = Files.list(RawEventLayout.hourDirectory(root, dt, hr))) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".tsv.gz")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> hourLines(Path root, LocalDate dt, int hr) {
        List<String> lines = new ArrayList<>();
        files(root, dt, hr).forEach(f -> lines.addAll(lines(f)));
        return lines;
    }

    /** Rows of truth/keys.tsv without the header, split into columns. */
    static List<String[]> truthRows(Path root) throws IOException {
        List<String> lines = Files.readAllLines(RawEventLayout.truthFile(root));
        return lines.subList(1, lines.size()).stream().map(l -> l.split("\t", -1)).toList();
    }

    /** The six key components of a line or truth row, joined for use as a map key. */
    static String key(String[] columns, int[] positions) {
        StringBuilder key = new StringBuilder();
        for (int p : positions) {
            key.append(columns[p]).append('|');
        }
        return key.toString();
    }

    /** Positions of the tabs of a good line (14 of them), without splitting it. */
    static int[] tabs(String line) {
        int[] tabs = new int[RawEventLayout.COLUMNS.size() - 1];
        int from = 0;
        for (int i = 0; i < tabs.length; i++) {
            tabs[i] = line.indexOf('\t', from);
            from = tabs[i] + 1;
        }
        return tabs;
    }

    /** Column {@code column} of a line whose {@link #tabs} are given. */
    static String column(String line, int[] tabs, int column) {
        return line.substring(column == 0 ? 0 : tabs[column - 1] + 1, column == tabs.length ? line.length() : tabs[column]);
    }

    /** The six key components of a line, joined as {@link #key} joins them. */
    static String key(String line, int[] tabs) {
        StringBuilder key = new StringBuilder(64);
        for (int p : KEY_POSITIONS) {
            key.append(line, tabs[p - 1] + 1, tabs[p]).append('|');
        }
        return key.toString();
    }

    /** Why a strict reader would reject the line, or empty if it is a good event. */
    static Optional<BadRow> defect(String line) {
        String[] c = line.split("\t", -1);
        if (c.length != RawEventLayout.COLUMNS.size()) {
            return Optional.of(BadRow.WRONG_COLUMN_COUNT);
        }
        try {
            LocalDateTime.parse(c[TS], TIMESTAMP);
        } catch (DateTimeParseException e) {
            return Optional.of(BadRow.UNPARSABLE_TIMESTAMP);
        }
        if (!EVENT_TYPES.contains(c[EVENT])) {
            return Optional.of(BadRow.UNKNOWN_EVENT);
        }
        for (int p : KEY_POSITIONS) {
            if (c[p].isEmpty()) {
                return Optional.of(BadRow.EMPTY_KEY_COMPONENT);
            }
        }
        try {
            if (Long.parseLong(c[REVENUE_MICROS]) < 0 || Long.parseLong(c[VALUE_MICROS]) < 0) {
                return Optional.of(BadRow.NEGATIVE_MONEY);
            }
        } catch (NumberFormatException e) {
            return Optional.of(BadRow.UNPARSABLE_NUMBER);
        }
        return Optional.empty();
    }
}
