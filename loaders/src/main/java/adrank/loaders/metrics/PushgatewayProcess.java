package adrank.loaders.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A real Prometheus Pushgateway (the Debian package {@code prometheus-pushgateway}) started as a
 * child process on a free loopback port, for tests and drills: {@link #close()} stops it by its
 * PID (a shutdown hook does too if the JVM exits first). {@link #group} reads a group's gauges back
 * through the gateway's JSON API ({@code GET /api/v1/metrics}).
 */
public final class PushgatewayProcess implements AutoCloseable {

    /** The Debian package that installs the binary. */
    public static final String PACKAGE = "prometheus-pushgateway";
    private static final String BINARY = "prometheus-pushgateway";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Thread hook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PushgatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.hook = new Thread(process::destroyForcibly, "pushgateway-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The binary on the PATH (or /usr/bin), failing with the package to install when there is none. */
    public static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, BINARY);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(BINARY + " is not installed (not on the PATH nor in /usr/bin): install the "
                + "Debian package " + PACKAGE + " (apt-get install --no-install-recommends " + PACKAGE + "); .ci/run does");
    }

    /** Starts a gateway on a free loopback port with its state and log under {@code dir}. */
    public static PushgatewayProcess start(Path dir) throws IOException, InterruptedException {
        Path binary = binary();
        Files.createDirectories(dir);
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + dir.resolve("pushgateway.state"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("pushgateway.log").toFile()).start();
        PushgatewayProcess gateway = new PushgatewayProcess(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (gateway.get("/-/ready").statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                gateway.close();
                throw new IOException(binary + " did not answer on 127.0.0.1:" + port + " (exit "
                        + (process.isAlive() ? "none" : process.exitValue()) + "); its log: "
                        + Files.readString(dir.resolve("pushgateway.log")));
            }
            Thread.sleep(100);
        }
    }

    /** {@code 127.0.0.1:<port>}, as {@code metrics.pushgateway} takes it. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + address() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The gauges of one group as the gateway holds them: {@code name} for a gauge without labels
     * besides the grouping key, {@code name{label=value}} for one with a label; empty when the group
     * does not exist.
     */
    public Map<String, Double> group(String job, String schema) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/api/v1/metrics");
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/v1/metrics: HTTP " + response.statusCode() + ": " + response.body());
        }
        Map<String, Double> values = new TreeMap<>();
        for (JsonNode group : JSON.readTree(response.body()).path("data")) {
            JsonNode labels = group.path("labels");
            if (!job.equals(labels.path("job").asText()) || !schema.equals(labels.path("schema").asText())) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = group.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> family = it.next();
                if (!family.getValue().has("metrics")) {
                    continue; // labels, last_push_successful
                }
                for (JsonNode metric : family.getValue().path("metrics")) {
                    StringBuilder name = new StringBuilder(family.getKey());
                    StringBuilder extra = new StringBuilder();
                    metric.path("labels").fields().forEachRemaining(l -> {
                        if (!l.getKey().equals("job") && !l.getKey().equals("schema") && !l.getKey().equals("instance")) {
                            extra.append(extra.length() == 0 ? "" : ",").append(l.getKey()).append('=')
                                    .append(l.getValue().asText());
                        }
                    });
                    if (extra.length() > 0) {
                        name.append('{').append(extra).append('}');
                    }
                    values.put(name.toString(), Double.parseDouble(metric.path("value").asText()));
                }
            }
        }
        return values;
    }

    /** Stops the gateway by its PID. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
