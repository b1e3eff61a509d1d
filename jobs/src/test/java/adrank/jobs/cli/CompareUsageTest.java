package adrank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code rank compare}'s options are checked before anything connects: each mistake exits 2 with exactly one
 * line (these run without HBase or Hazelcast).
 */
class CompareUsageTest {

    private static void assertUsage(String expectedLine, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = RankCli.commandLine().execute(args);
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text).isEqualTo(RankCli.EXIT_USAGE);
        assertThat(text.lines().toList()).containsExactly(expectedLine);
    }

    private static String usage(String message) {
        return "rank compare: bad usage: " + message + " (see rank compare --help)";
    }

    @Test
    void helpIsShownAndVersionIsTheSnapshotVersion() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = RankCli.commandLine().execute("compare", "--help");
        } finally {
            System.setOut(saved);
        }
        String usage = out.toString(StandardCharsets.UTF_8);
        assertThat(code).isZero();
        assertThat(usage).startsWith("Usage: rank compare").contains("--version=N|active|previous|b")
                .contains("--vs-version=N|active|previous|b").contains("--segment-level=DIMS");
    }

    @Test
    void eachMistakeIsOneLineAndExitTwo() {
        assertUsage(usage("say what B is: --vs SCHEMA (its stored rows) and/or --vs-version N|active|previous|b"),
                "compare");
        assertUsage(usage("--vs-version: 'v0' is not a version: give a number (3 or v3, as in `versions list`), "
                + "active, previous or b"), "compare", "--vs-version", "v0");
        assertUsage(usage("--version: 'latest' is not a version: give a number (3 or v3, as in `versions list`), "
                + "active, previous or b"), "compare", "--version", "latest", "--vs", "other");
        assertUsage(usage("A and B are the same (version active of schema default); give another --vs or "
                + "--vs-version"), "compare", "--version", "active", "--vs-version", "ACTIVE");
        assertUsage(usage("A and B are the same (the stored rows of schema s1); give another --vs or --vs-version"),
                "compare", "--schema", "s1", "--vs", "s1");
        assertUsage(usage("--vs (Bad-Name) must be a schema name ([a-z][a-z0-9_]{0,31})"), "compare", "--vs",
                "Bad-Name");
        assertUsage(usage("--segment-level names 'country', which is not one of the key dimensions [ad_id, geo, "
                + "device, os, browser, connection]"), "compare", "--vs", "other", "--segment-level", "geo,country");
        assertUsage(usage("--segment-order (impressions) must be revenue or keys"), "compare", "--vs", "other",
                "--segment-order", "impressions");
        assertUsage(usage("--segment-top (0) must be >= 1"), "compare", "--vs", "other", "--segment-top", "0");
        assertUsage(usage("--top must be 0 or more, not -1"), "compare", "--vs", "other", "--top", "-1");
        assertUsage(usage("--batch-size (0) must be in 1..100000"), "compare", "--vs", "other", "--batch-size", "0");
    }
}
