package adrank.jobs;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Chromium (Debian's {@code chromium} package) driven over the Chrome DevTools Protocol with the
 * JDK's own HTTP and WebSocket clients: loads a page, records console errors, uncaught exceptions and every
 * network request, and evaluates a script in it. A missing browser fails the test (never skips it), naming the
 * package.
 */
final class HeadlessChromium implements AutoCloseable {

    /**
     * The check every HTML report's test runs in the page: for each {@code canvas[data-plot]}, its
     * size, whether a Chart.js chart is bound to it, how many finite data elements it drew and how
     * many pixels are painted; the plot count the page declares ({@code window.adrankPlots}); and the
     * page's embedded data ({@code #adrank-data}).
     */
    static final String PLOTS_CHECK = """
                (() => {
                  const out = { plots: window.adrankPlots, canvases: [] };
                  document.querySelectorAll('canvas[data-plot]').forEach(c => {
                    const chart = Chart.getChart(c);
                    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                    let painted = 0;
                    for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) painted++; }
                    let elements = 0;
                    if (chart) {
                      chart.data.datasets.forEach((d, i) => chart.getDatasetMeta(i).data.forEach(e => {
                        if (!e.skip && isFinite(e.x) && isFinite(e.y)) elements++;
                      }));
                    }
                    out.canvases.push({ id: c.dataset.plot, width: c.width, height: c.height, painted: painted,
                                        chart: !!chart, elements: elements });
                  });
                  out.data = JSON.parse(document.getElementById('adrank-data').textContent);
                  return JSON.stringify(out);
                })()
                """;


    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path profile;
    private volatile int port = -1;
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    /** What a page did while it loaded. */
    record Loaded(JsonNode value, List<String> errors, List<String> requests) {
    }

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /** The browser binary: {@code chromium} on the PATH or {@code /usr/bin/chromium}; fails the test without it. */
    static Path binary() {
        return binary(System.getenv().getOrDefault("PATH", ""), Path.of("/usr/bin/chromium"));
    }

    /** The browser on {@code path} or at {@code debian}; fails the test without it. */
    static Path binary(String path, Path debian) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "chromium");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (Files.isExecutable(debian)) {
            return debian;
        }
        return fail("no chromium on this machine: the HTML report test needs a real headless browser, Debian's "
                + "package 'chromium' (apt-get install -y --no-install-recommends chromium chromium-driver; "
                + ".ci/run installs it)");
    }

    /** Starts a headless browser on a free loopback port with a throw-away profile. */
    static HeadlessChromium start() throws Exception {
        Path profile = Files.createTempDirectory("adrank-chromium-");
        Process p = new ProcessBuilder(binary().toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--user-data-dir=" + profile,
                "--window-size=1200,900", "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> ws = new CompletableFuture<>();
        HeadlessChromium browser = new HeadlessChromium(p, profile);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    browser.stderr.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        ws.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                ws.completeExceptionally(e);
            }
            ws.completeExceptionally(new IllegalStateException("chromium ended before listening"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String url;
        try {
            url = ws.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            browser.close();
            throw new IllegalStateException("chromium did not start: " + String.join("\n", browser.stderr), e);
        }
        browser.port = URI.create(url).getPort();
        return browser;
    }

    /**
     * Opens {@code page}, waits for its load event, then evaluates {@code script} (an expression whose value is a
     * JSON string) and returns it with the console errors, uncaught exceptions and requested URLs.
     */
    Loaded load(URI page, String script) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // a new tab per page: enabling Runtime on a used one would replay the console of the page before
        JsonNode tab = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/json/new?about:blank")).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        String target = tab.path("webSocketDebuggerUrl").asText(null);
        if (target == null) {
            throw new IllegalStateException("chromium opened no tab: " + tab);
        }
        Cdp cdp = new Cdp();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create(target), cdp).get(30, TimeUnit.SECONDS);
        cdp.socket = socket;
        try {
            for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
                cdp.call(domain + ".enable", JSON.createObjectNode());
            }
            CompletableFuture<JsonNode> loaded = cdp.event("Page.loadEventFired");
            ObjectNode navigate = JSON.createObjectNode().put("url", page.toString());
            JsonNode nav = cdp.call("Page.navigate", navigate);
            if (nav.has("errorText")) {
                throw new IllegalStateException("navigation to " + page + " failed: " + nav.get("errorText"));
            }
            loaded.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode result = cdp.call("Runtime.evaluate", JSON.createObjectNode().put("expression", script)
                    .put("returnByValue", true).put("awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new AssertionError("the check script threw in the page: " + result.get("exceptionDetails"));
            }
            JsonNode value = JSON.readTree(result.path("result").path("value").asText());
            return new Loaded(value, List.copyOf(cdp.errors), List.copyOf(cdp.requests));
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/close/"
                    + tab.get("id").asText())).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /** What the browser wrote on stderr. */
    List<String> stderr() {
        return List.copyOf(stderr);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // the profile is a temporary directory
        }
    }

    /** A minimal CDP session: numbered calls with their answers, and the events this test reads. */
    private static final class Cdp implements WebSocket.Listener {

        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<JsonNode>> awaited = new ConcurrentHashMap<>();
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
        private final StringBuilder partial = new StringBuilder();
        private volatile WebSocket socket;

        JsonNode call(String method, ObjectNode params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            calls.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IllegalStateException(method + " failed: " + reply.get("error"));
            }
            return reply.path("result");
        }

        CompletableFuture<JsonNode> event(String method) {
            return awaited.computeIfAbsent(method, m -> new CompletableFuture<>());
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    handle(JSON.readTree(text));
                } catch (IOException e) {
                    errors.add("unreadable CDP message: " + e);
                }
            }
            webSocket.request(1);
            return null;
        }

        private void handle(JsonNode message) {
            if (message.has("id")) {
                CompletableFuture<JsonNode> answer = calls.remove(message.get("id").asInt());
                if (answer != null) {
                    answer.complete(message);
                }
                return;
            }
            String method = message.path("method").asText();
            JsonNode params = message.path("params");
            switch (method) {
                case "Runtime.consoleAPICalled" -> {
                    if (params.path("type").asText().equals("error") || params.path("type").asText().equals("assert")) {
                        errors.add("console." + params.path("type").asText() + ": " + params.path("args"));
                    }
                }
                case "Runtime.exceptionThrown" -> errors.add("uncaught: " + params.path("exceptionDetails"));
                case "Log.entryAdded" -> {
                    if (params.path("entry").path("level").asText().equals("error")) {
                        errors.add("log: " + params.path("entry").path("text").asText() + " "
                                + params.path("entry").path("url").asText());
                    }
                }
                case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
                case "Network.loadingFailed" -> errors.add("request failed: " + params);
                default -> {
                }
            }
            CompletableFuture<JsonNode> waiting = awaited.get(method);
            if (waiting != null) {
                waiting.complete(params);
            }
        }
    }
}
