package adrank.jobs;

import adrank.jobs.cli.RankCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs the {@code rank} command line in this JVM, capturing stdout and stderr. */
final class TestCli {

    record Output(int code, String out, String err) {
    }

    private TestCli() {
    }

    /** {@code rank <args> -Dk=v ...} with {@code settings} as the overrides. */
    static Output run(Map<String, String> settings, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        settings.forEach((k, v) -> all.add("-D" + k + "=" + v));
        return run(all);
    }

    /** {@code rank <args>}. */
    static Output run(List<String> all) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = RankCli.commandLine().execute(all.toArray(new String[0]));
            return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }
}
