package adrank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Bad usage and unknown settings end every command with exit code 2 and one line on stderr, before
 * anything is started or connected (these run without HBase, Spark or Hazelcast).
 */
class RankCliUsageTest {

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = RankCli.commandLine().execute(args);
            return new Run(code, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private static void assertUsage(Run run, String expectedLine) {
        assertThat(run.code()).as(run.err()).isEqualTo(RankCli.EXIT_USAGE);
        assertThat(run.err().lines().toList()).containsExactly(expectedLine);
    }

    @Test
    void anHourOutsideTheDayIsBadUsage() {
        assertUsage(run("hourly", "--dt", "2026-01-01", "--hr", "24"), "rank hourly: bad usage: Invalid value for "
                + "option '--hr': '24' is not an hour of the day (0..23) (see rank hourly --help)");
        assertUsage(run("etl", "--dt", "2026-01-01", "--hr", "-1"), "rank etl: bad usage: Invalid value for "
                + "option '--hr': '-1' is not an hour of the day (0..23) (see rank etl --help)");
    }

    @Test
    void aMalformedDayIsBadUsage() {
        assertUsage(run("hourly", "--dt", "2026-13-01", "--hr", "5"), "rank hourly: bad usage: Invalid value for "
                + "option '--dt': '2026-13-01' is not a day (yyyy-MM-dd, e.g. 2026-11-01) (see rank hourly --help)");
        assertUsage(run("daily", "--dt", "01/11/2026"), "rank daily: bad usage: Invalid value for option '--dt': "
                + "'01/11/2026' is not a day (yyyy-MM-dd, e.g. 2026-11-01) (see rank daily --help)");
    }

    @Test
    void aTypoedSettingIsRefusedWithTheClosestOne() {
        assertUsage(run("hourly", "--dt", "2026-01-01", "--hr", "5", "-Dinput.max-bad-fractoin=0.5"),
                "rank hourly: configuration error: unknown setting 'input.max-bad-fractoin' (-D override); "
                        + "did you mean 'input.max-bad-fraction'?");
        assertUsage(run("daily", "--dt", "2026-01-01", "-Dlimits.max-day=30"),
                "rank daily: configuration error: unknown setting 'limits.max-day' (-D override); "
                        + "did you mean 'limits.max-days'?");
    }

    @Test
    void otherOptionValuesAreCheckedBeforeAnythingRuns() {
        assertUsage(run("etl", "--dt", "2026-01-01", "--hr", "3", "--engine", "hive"),
                "rank etl: bad usage: --engine must be spark or presto, not 'hive' (see rank etl --help)");
        assertUsage(run("export", "--format", "csv"),
                "rank export: bad usage: --format csv is not supported (jsonl) (see rank export --help)");
        assertUsage(run("versions", "ab", "--b", "2", "--share", "1.5"),
                "rank versions ab: bad usage: --share must be in (0, 1], not 1.5 (see rank versions ab --help)");
        assertUsage(run("versions", "ab", "--b", "2", "--share", "0.1", "--scope", "geo"),
                "rank versions ab: bad usage: --scope: scope must be dim=value (e.g. geo=MX), got 'geo' "
                        + "(see rank versions ab --help)");
        assertUsage(run("generate", "--days", "0"), "rank generate: bad usage: --days must be between 1 and 3660, "
                + "got 0 (see rank generate --help)");
        assertUsage(run("generate", "--b-lift", "0.1", "--units", "50"), "rank generate: bad usage: --experiment: missing, "
                + "but --b-lift, --units shape a simulated experiment (add --experiment NAME) (see rank generate --help)");
        assertUsage(run("backfill", "--from", "2026-01-02", "--to", "2026-01-01"),
                "rank backfill: bad usage: --to 2026-01-01 is before --from 2026-01-02 (see rank backfill --help)");
        assertUsage(run("evaluate", "--from", "2026-01-02", "--to", "2026-01-02"),
                "rank evaluate: bad usage: --to (2026-01-02) must be after --from (2026-01-02): D+1 of the last D is "
                        + "--to (see rank evaluate --help)");
        assertUsage(run("evaluate", "--from", "2026-01-01", "--to", "2026-01-03", "--thin-below", "0"),
                "rank evaluate: bad usage: --thin-below (0) and --thick-from (10000) must be 1 <= thin-below <= "
                        + "thick-from (see rank evaluate --help)");
        assertUsage(run("evaluate", "--from", "2026-01-01", "--to", "2026-01-03", "--segment-level", "geo,region"),
                "rank evaluate: bad usage: --segment-level names 'region', which is not one of the key dimensions "
                        + "[ad_id, geo, device, os, browser, connection] (see rank evaluate --help)");
        assertUsage(run("evaluate", "--from", "2026-01-01", "--to", "2026-01-03", "--segment-level", "geo",
                "--segment-top", "0"), "rank evaluate: bad usage: --segment-top (0) must be >= 1 (see rank evaluate "
                        + "--help)");
        assertUsage(run("evaluate", "--from", "2026-01-01", "--to", "2026-01-03", "--source", "live"),
                "rank evaluate: bad usage: --source (live) must be recompute or served (see rank evaluate --help)");
        assertUsage(run("hourly", "--dt", "2026-01-01"),
                "rank hourly: bad usage: Missing required option: '--hr=HH' (see rank hourly --help)");
    }

    @Test
    void anUnknownCommandSuggestsTheClosestOne() {
        Run run = run("hourlly", "--dt", "2026-01-01", "--hr", "5");
        assertThat(run.code()).isEqualTo(RankCli.EXIT_USAGE);
        assertThat(run.err().lines().toList()).singleElement().asString()
                .startsWith("rank: bad usage: Unmatched arguments").contains("did you mean hourly");
    }
}
