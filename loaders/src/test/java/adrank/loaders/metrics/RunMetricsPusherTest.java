package adrank.loaders.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.ConfigError;
import adrank.loaders.config.MetricsConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushes to a real Pushgateway ({@code prometheus-pushgateway}, started on a free loopback port)
 * and reads the groups back over its HTTP API. Fails (never skips) when the binary is missing.
 */
class RunMetricsPusherTest {

    private static PushgatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = PushgatewayProcess.start(Files.createTempDirectory("pushgateway-"));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static MetricsConfig metrics(Map<String, String> settings) {
        return AdrankConfig.load("local", settings).metrics();
    }

    private static MetricsConfig toGateway() {
        return metrics(Map.of("metrics.pushgateway", gateway.address()));
    }

    @Test
    void anHourlyRunsGaugesArriveInItsSchemasGroupWithEveryReason() throws Exception {
        RunMetricsPusher pusher = new RunMetricsPusher(toGateway());
        Instant end = Instant.parse("2026-11-02T06:12:30.250Z");
        RunMetrics run = RunMetrics.of(RunMetrics.Kind.HOURLY, "pushed_one", true, end, Duration.ofMillis(83_500))
                .unit(LocalDate.of(2026, 11, 2), 5)
                .rows(8915, Map.of("bad_number", 1L, "column_count", 1L))
                .set(Metric.KEYS_WRITTEN, 1191).set(Metric.KEYS_REMOVED, 3)
                .set(Metric.RESULTS_REFRESHED, 1200).set(Metric.FAULTY_KEYS, 2);
        assertThat(pusher.push(run)).isTrue();

        Map<String, Double> group = gateway.group("adrank_hourly", "pushed_one");
        assertThat(group).containsEntry("adrank_run_success", 1.0)
                .containsEntry("adrank_run_duration_seconds", 83.5)
                .containsEntry("adrank_run_end_timestamp_seconds", 1793599950.25)
                .containsEntry("adrank_last_success_timestamp_seconds", 1793599950.25)
                // 2026-11-02T05:00:00Z
                .containsEntry("adrank_run_unit_timestamp_seconds", 1793595600.0)
                .containsEntry("adrank_run_rows_in", 8915.0)
                .containsEntry("adrank_run_rows_quarantined{reason=bad_number}", 1.0)
                .containsEntry("adrank_run_rows_quarantined{reason=column_count}", 1.0)
                .containsEntry("adrank_run_rows_quarantined{reason=invalid_utf8}", 0.0)
                .containsEntry("adrank_run_keys_written", 1191.0)
                .containsEntry("adrank_run_keys_removed", 3.0)
                .containsEntry("adrank_run_results_refreshed", 1200.0)
                .containsEntry("adrank_run_faulty_keys", 2.0);
        assertThat(group.keySet().stream().filter(k -> k.startsWith("adrank_run_rows_quarantined{")))
                .as("every reject reason, 0 included").hasSize(adrank.udfs.event.RejectReason.values().length);
        // the gateway's own bookkeeping says the push was taken
        assertThat(group).containsKey("push_time_seconds");
        assertThat(group.get("push_failure_time_seconds")).isZero();
    }

    @Test
    void aFailedRunKeepsTheLastSuccessTimeAndOtherSchemasAndKindsAreLeftAlone() throws Exception {
        RunMetricsPusher pusher = new RunMetricsPusher(toGateway());
        Instant ok = Instant.parse("2026-11-02T00:40:00Z");
        assertThat(pusher.push(RunMetrics.of(RunMetrics.Kind.DAILY, "pushed_two", true, ok, Duration.ofSeconds(80))
                .unit(LocalDate.of(2026, 11, 1), null).set(Metric.KEYS_WRITTEN, 500))).isTrue();
        assertThat(pusher.push(RunMetrics.of(RunMetrics.Kind.DAILY, "pushed_other", true, ok.plusSeconds(60),
                Duration.ofSeconds(5)).set(Metric.KEYS_WRITTEN, 7))).isTrue();
        assertThat(pusher.push(RunMetrics.of(RunMetrics.Kind.PUBLISH, "pushed_two", true, ok.plusSeconds(120),
                Duration.ofSeconds(9)).set(Metric.SNAPSHOT_VERSION, 4))).isTrue();

        Instant failed = Instant.parse("2026-11-03T00:41:00Z");
        assertThat(pusher.push(RunMetrics.of(RunMetrics.Kind.DAILY, "pushed_two", false, failed, Duration.ofSeconds(3))
                .unit(LocalDate.of(2026, 11, 2), null).set(Metric.KEYS_WRITTEN, 0))).isTrue();

        Map<String, Double> daily = gateway.group("adrank_daily", "pushed_two");
        assertThat(daily).containsEntry("adrank_run_success", 0.0)
                .containsEntry("adrank_run_end_timestamp_seconds", (double) failed.getEpochSecond())
                .containsEntry("adrank_last_success_timestamp_seconds", (double) ok.getEpochSecond())
                .containsEntry("adrank_run_keys_written", 0.0)
                .containsEntry("adrank_run_unit_timestamp_seconds",
                        (double) Instant.parse("2026-11-02T00:00:00Z").getEpochSecond());
        assertThat(gateway.group("adrank_daily", "pushed_other")).containsEntry("adrank_run_success", 1.0)
                .containsEntry("adrank_run_keys_written", 7.0);
        assertThat(gateway.group("adrank_publish", "pushed_two")).containsEntry("adrank_snapshot_version", 4.0)
                .doesNotContainKey("adrank_run_keys_written");
    }

    @Test
    void aGatewayThatIsDownOrNeverAnswersIsAWarningWithinTheTimeouts() throws Exception {
        RunMetrics run = RunMetrics.of(RunMetrics.Kind.ETL, "pushed_three", true, Instant.now(), Duration.ofSeconds(1));
        // a port nobody listens on: refused at once
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        assertThat(new RunMetricsPusher(toGateway().withPushgateway("127.0.0.1:" + closed)).push(run)).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));

        // a gateway that accepts the connection and never answers: the read timeout ends it
        MetricsConfig slowConfig = metrics(Map.of("metrics.pushgateway", "127.0.0.1:1",
                "metrics.connect-timeout", "500ms", "metrics.read-timeout", "700ms"));
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (Exception closedNow) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            RunMetricsPusher slow = new RunMetricsPusher(slowConfig.withPushgateway("127.0.0.1:" + silent.getLocalPort()));
            long t1 = System.nanoTime();
            assertThat(slow.push(run)).isFalse();
            Duration took = Duration.ofNanos(System.nanoTime() - t1);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1150)).isLessThan(Duration.ofSeconds(3));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(gateway.group("adrank_etl", "pushed_three")).isEmpty();
    }

    @Test
    void offByDefaultAndABadAddressIsAConfigurationError() throws Exception {
        MetricsConfig off = metrics(Map.of());
        assertThat(off.enabled()).isFalse();
        assertThat(new RunMetricsPusher(off).push(RunMetrics.of(RunMetrics.Kind.HOURLY, "pushed_off", true,
                Instant.now(), Duration.ZERO))).isFalse();
        assertThat(gateway.group("adrank_hourly", "pushed_off")).isEmpty();
        assertThat(metrics(Map.of("metrics.pushgateway", "https://gw.example:9091/base/")).baseUrl())
                .isEqualTo("https://gw.example:9091/base");
        assertThatThrownBy(() -> metrics(Map.of("metrics.pushgateway", "ftp://gw:21")))
                .isInstanceOf(ConfigError.class).hasMessageStartingWith("metrics.pushgateway = \"ftp://gw:21\" must be");
        assertThatThrownBy(() -> metrics(Map.of("metrics.pushgatway", "gw:9091")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("did you mean 'metrics.pushgateway'?");
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("check.lag-hours.warning", "5",
                "check.lag-hours.critical", "2"))).isInstanceOf(ConfigError.class)
                .hasMessage("check.lag-hours.warning (5.0) must not be above check.lag-hours.critical (2.0)");
    }
}
