package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser check EvaluateIT relies on, in a real headless Chromium: it does see a console error, an uncaught
 * exception and a request leaving the page, and returns what the page computed (so a clean report is not a
 * checker that sees nothing).
 */
class HeadlessChromiumTest {

    @Test
    void seesConsoleErrorsExceptionsAndRequests(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("bad.html");
        Files.writeString(page, """
                <!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
                <img src="http://127.0.0.1:9/pixel.png">
                <script>console.error('boom'); window.answer = 6 * 7;</script>
                <script>undefinedFunction();</script>
                </body></html>
                """);
        Path good = dir.resolve("good.html");
        Files.writeString(good, "<!DOCTYPE html><html><body><script>window.answer = 6 * 7;</script></body></html>");
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.Loaded bad = browser.load(page.toUri(), "JSON.stringify({answer: window.answer})");
            assertThat(bad.value().get("answer").asInt()).isEqualTo(42);
            assertThat(bad.errors()).anyMatch(e -> e.startsWith("console.error") && e.contains("boom"))
                    .anyMatch(e -> e.startsWith("uncaught") && e.contains("undefinedFunction"));
            assertThat(bad.requests()).contains("http://127.0.0.1:9/pixel.png");
            HeadlessChromium.Loaded clean = browser.load(good.toUri(), "JSON.stringify({answer: window.answer})");
            assertThat(clean.value().get("answer").asInt()).isEqualTo(42);
            assertThat(clean.errors()).isEmpty();
            assertThat(clean.requests()).allMatch(u -> u.startsWith("file:"));
        }
    }

    @Test
    void withoutChromiumTheTestFailsNamingThePackage(@TempDir Path dir) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeadlessChromium.binary(dir.toString(),
                        dir.resolve("no-chromium")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Debian's package 'chromium'")
                .hasMessageContaining("apt-get install -y --no-install-recommends chromium chromium-driver");
    }
}
