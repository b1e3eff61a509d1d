package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.jobs.cli.RankCli;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bad usage of {@code versions ab|pin} and {@code publish --stage} ends with exit code 2 and one
 * line on stderr before anything connects (no cluster runs here).
 */
class VersionsUsageTest {

    private static void assertUsage(List<String> args, String expectedLine) {
        TestCli.Output run = TestCli.run(args);
        assertThat(run.code()).as(run.err()).isEqualTo(RankCli.EXIT_USAGE);
        assertThat(run.err().lines().toList()).containsExactly(expectedLine);
    }

    @Test
    void experimentOptionsAreCheckedBeforeAnythingRuns() {
        assertUsage(List.of("versions", "ab", "--share", "0.5"),
                "rank versions ab: bad usage: give --b N, --b-schema S, or both (see rank versions ab --help)");
        assertUsage(List.of("versions", "ab", "--b", "2", "--share", "0.5", "--experiment", "mx cpm"),
                "rank versions ab: bad usage: --experiment must match [A-Za-z0-9._-]{1,64}, not 'mx cpm' "
                        + "(see rank versions ab --help)");
        assertUsage(List.of("versions", "ab", "--b-schema", "Exp", "--share", "0.5"),
                "rank versions ab: bad usage: --b-schema must match [a-z][a-z0-9_]{0,31}, not 'Exp' "
                        + "(see rank versions ab --help)");
        assertUsage(List.of("versions", "ab", "--b", "2", "--share", "0.5", "--salt", ""),
                "rank versions ab: bad usage: --salt must not be empty (see rank versions ab --help)");
        assertUsage(List.of("versions", "ab", "--b-schema", "default", "--share", "0.5"),
                "rank versions ab: bad usage: --b-schema default is this schema: give --b N (B cannot follow the "
                        + "active version it is compared with) (see rank versions ab --help)");
        assertUsage(List.of("versions", "pin", "--by", " "),
                "rank versions pin: bad usage: --by must not be blank (see rank versions pin --help)");
        assertUsage(List.of("versions", "unstage", "0"),
                "rank versions unstage: bad usage: N must be a version number (1 or more), not 0 "
                        + "(see rank versions unstage --help)");
        assertUsage(List.of("publish", "--stage", "--bogus"),
                "rank publish: bad usage: Unknown option: '--bogus' (see rank publish --help)");
    }
}
