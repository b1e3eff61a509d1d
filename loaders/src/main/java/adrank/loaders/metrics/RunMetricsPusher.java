package adrank.loaders.metrics;

import adrank.loaders.config.MetricsConfig;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Gauge;
import io.prometheus.client.exporter.PushGateway;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes a run's {@link RunMetrics} to the Prometheus Pushgateway of {@code metrics.pushgateway}
 * with the Prometheus Java client: job {@code <metrics.job-prefix>_<kind>}, grouping key
 * {@code schema}, HTTP POST (Pushgateway's "push add": the gauges pushed replace theirs in the group,
 * the others stay, so a failed run keeps the last success time of the group).
 *
 * <p>A push never fails a run: a gateway that is down, slow or wrong gives one warning in the log,
 * within {@code metrics.connect-timeout} + {@code metrics.read-timeout}. The client sets its own
 * socket timeouts of 10 s on every connection (over those of our connection factory), so the push
 * runs in a daemon thread that the run waits for at most that long; a push abandoned this way ends
 * by the client's timeouts in the background.
 */
public final class RunMetricsPusher {

    private static final Logger LOG = LoggerFactory.getLogger(RunMetricsPusher.class);

    private final MetricsConfig config;

    public RunMetricsPusher(MetricsConfig config) {
        this.config = config;
    }

    /** The Pushgateway job of {@code kind}. */
    public String job(RunMetrics.Kind kind) {
        return config.jobPrefix() + "_" + kind.label();
    }

    /**
     * Pushes the run's gauges when metrics are on.
     *
     * @return whether the gateway took them (false when off or when the push failed: logged)
     */
    public boolean push(RunMetrics run) {
        if (!config.enabled()) {
            return false;
        }
        String job = job(run.kind());
        long start = System.nanoTime();
        CollectorRegistry registry = registry(run);
        FutureTask<Void> push = new FutureTask<>(() -> {
            gateway().pushAdd(registry, job, Map.of("schema", run.schema()));
            return null;
        });
        Thread thread = new Thread(push, "adrank-metrics-push");
        thread.setDaemon(true);
        thread.start();
        try {
            push.get(config.connectTimeout().plus(config.readTimeout()).toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("pushed metrics of {} schema {} to {} in {} ms", job, run.schema(), config.baseUrl(),
                    (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while pushing the metrics of {} (schema {}) to {}", job, run.schema(), config.baseUrl());
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e instanceof TimeoutException
                    ? new TimeoutException("no answer within metrics.connect-timeout + metrics.read-timeout") : e;
            LOG.warn("could not push the metrics of {} (schema {}) to the Pushgateway {} (metrics.pushgateway) after "
                    + "{} ms: {}; the run itself is not affected", job, run.schema(), config.baseUrl(),
                    (System.nanoTime() - start) / 1_000_000, cause.toString());
            return false;
        }
    }

    /** The run's gauges in a registry of their own (nothing global is touched). */
    static CollectorRegistry registry(RunMetrics run) {
        CollectorRegistry registry = new CollectorRegistry();
        for (Map.Entry<Metric, Map<String, Double>> e : run.values().entrySet()) {
            Metric metric = e.getKey();
            Gauge.Builder builder = Gauge.build().name(metric.metricName()).help(metric.help());
            if (metric.label() != null) {
                builder.labelNames(metric.label());
            }
            Gauge gauge = builder.register(registry);
            e.getValue().forEach((labelValue, value) -> {
                if (metric.label() == null) {
                    gauge.set(value);
                } else {
                    gauge.labels(labelValue).set(value);
                }
            });
        }
        return registry;
    }

    private PushGateway gateway() throws MalformedURLException {
        PushGateway gateway = new PushGateway(new URL(config.baseUrl()));
        int connect = (int) config.connectTimeout().toMillis();
        int read = (int) config.readTimeout().toMillis();
        gateway.setConnectionFactory(url -> {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setConnectTimeout(connect);
            connection.setReadTimeout(read);
            return connection;
        });
        return gateway;
    }
}
