package adrank.loaders.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The chart library the HTML reports inline: Chart.js (MIT licence) from its WebJar
 * ({@code org.webjars.npm:chart.js}, pinned in the parent pom), read from the classpath so a
 * page needs no network. The version is the WebJar's own ({@code pom.properties}), so the pom is
 * the one place it is set.
 */
public final class ChartLibrary {

    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.npm/chart.js/pom.properties";

    private ChartLibrary() {
    }

    /** Chart.js's version on the classpath. */
    public static String version() {
        Properties p = new Properties();
        try (InputStream in = resource(POM_PROPERTIES)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
        }
        return p.getProperty("version");
    }

    /** The minified UMD build of Chart.js (defines the global {@code Chart}), licence header included. */
    public static String script() {
        String path = "META-INF/resources/webjars/chart.js/" + version() + "/dist/chart.umd.min.js";
        try (InputStream in = resource(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = ChartLibrary.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the classpath: the HTML report needs the WebJar "
                    + "org.webjars.npm:chart.js (a dependency of adrank-loaders)");
        }
        return in;
    }
}
