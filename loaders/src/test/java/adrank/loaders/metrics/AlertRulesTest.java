package adrank.loaders.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example alerting rules ({@code monitoring/adrank-alerts.yml}) pass Prometheus's own
 * {@code promtool check rules}, their unit tests ({@code monitoring/adrank-alerts.test.yml}: an alert
 * fires on a failed run, on a stale snapshot, on a high quarantined share, and not otherwise) pass
 * {@code promtool test rules}, and every adrank metric they use is one the runs push. Needs
 * {@code promtool} (Debian package {@code prometheus}); fails, never skips, without it.
 */
class AlertRulesTest {

    private static final Path MONITORING = Path.of("..", "monitoring").toAbsolutePath().normalize();
    private static final Path RULES = MONITORING.resolve("adrank-alerts.yml");
    private static final Path TESTS = MONITORING.resolve("adrank-alerts.test.yml");

    private static Path promtool() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
                .split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("promtool is not installed (not on the PATH nor in /usr/bin): install the Debian "
                + "package prometheus (apt-get install --no-install-recommends prometheus); .ci/run does");
    }

    private record Run(int code, String output) {
    }

    private static Run promtool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(promtool().toString()));
        command.addAll(Arrays.asList(args));
        Process process = new ProcessBuilder(command).directory(MONITORING.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void promtoolChecksTheRules() throws Exception {
        Run check = promtool("check", "rules", RULES.toString());
        assertThat(check.code()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 8 rules found");
    }

    @Test
    void promtoolUnitTestsFireOnAFailedRunAStaleSnapshotAndHighQuarantine() throws Exception {
        Run test = promtool("test", "rules", TESTS.toString());
        assertThat(test.code()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
        String tests = Files.readString(TESTS);
        assertThat(tests).contains("alertname: AdrankRunFailed", "alertname: AdrankSnapshotStale",
                "alertname: AdrankQuarantineHigh");
    }

    @Test
    void everyAdrankMetricTheRulesUseIsPushed() throws Exception {
        Set<String> pushed = Arrays.stream(Metric.values()).map(Metric::metricName).collect(Collectors.toSet());
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\badrank_[a-z_]+\\b").matcher(Files.readString(RULES) + Files.readString(TESTS));
        while (m.find()) {
            String name = m.group();
            // job label values (adrank_hourly, ...) are not metrics
            if (!name.matches("adrank_(hourly|daily|publish|backfill|etl)")) {
                used.add(name);
            }
        }
        assertThat(used).isNotEmpty().isSubsetOf(pushed);
    }
}
