package adrank.loaders.config;

import java.nio.file.Path;

/** The embedded stack of {@code rank local up} ({@code local.*}). */
public record LocalConfig(Path hbaseDir, int startTimeoutSeconds) {

    static LocalConfig from(Settings s) {
        return new LocalConfig(s.localPath("local.hbase-dir"), s.intIn("local.start-timeout-seconds", 10, 3600));
    }
}
