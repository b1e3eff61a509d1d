package adrank.loaders.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * Run metrics pushed to a Prometheus Pushgateway at the end of every run ({@code metrics.*}).
 *
 * @param pushgateway    the gateway's address, {@code host:port} or {@code http(s)://host:port[/path]};
 *                       empty = metrics off
 * @param jobPrefix      the Pushgateway job of a run is {@code <jobPrefix>_<kind>} (hourly, daily, publish,
 *                       backfill, etl); its grouping key is {@code schema}
 * @param connectTimeout how long a push waits to connect
 * @param readTimeout    how long a push waits for the gateway's answer
 */
public record MetricsConfig(String pushgateway, String jobPrefix, Duration connectTimeout, Duration readTimeout)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    static MetricsConfig from(Settings s) {
        String address = s.string("metrics.pushgateway").trim();
        if (!address.isEmpty()) {
            try {
                URI uri = new URI(address.contains("://") ? address : "http://" + address);
                if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                    throw new URISyntaxException(address, "not host:port or http(s)://host:port");
                }
            } catch (URISyntaxException e) {
                throw new ConfigError("metrics.pushgateway = \"" + address
                        + "\" must be host:port or http(s)://host:port[/path] (empty: metrics off)", e);
            }
        }
        return new MetricsConfig(address, s.identifier("metrics.job-prefix"),
                s.duration("metrics.connect-timeout", Duration.ofMillis(1), Duration.ofMinutes(1)),
                s.duration("metrics.read-timeout", Duration.ofMillis(1), Duration.ofMinutes(1)));
    }

    /** Whether runs push metrics. */
    public boolean enabled() {
        return !pushgateway.isEmpty();
    }

    /** The gateway's base URL. */
    public String baseUrl() {
        String url = pushgateway.contains("://") ? pushgateway : "http://" + pushgateway;
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A copy pointing at another gateway (tests). */
    public MetricsConfig withPushgateway(String address) {
        return new MetricsConfig(address, jobPrefix, connectTimeout, readTimeout);
    }
}
