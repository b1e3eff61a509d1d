package adrank.jobs.cli;

import java.time.Duration;
import java.util.Locale;

/** The one-line summaries every command ends with (on stderr, so stdout stays data). */
final class Summary {

    private Summary() {
    }

    static void print(String command, String text) {
        System.err.println("rank " + command + ": " + text);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    static String rate(long n, Duration d) {
        double s = Math.max(d.toMillis(), 1) / 1000.0;
        return String.format(Locale.ROOT, "%,.0f/s", n / s);
    }
}
