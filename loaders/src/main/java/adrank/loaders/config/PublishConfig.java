package adrank.loaders.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Publishing rank snapshots to Hazelcast ({@code publish.*}).
 *
 * @param retain    READY versions kept per schema, the active one included (the B version of an
 *                  A/B split is kept as well); older ones are destroyed by each publish
 * @param after     none | hourly | daily: which run publishes automatically when it succeeds
 * @param batchSize entries per {@code setAll} call of a loader
 * @param lockWait  how long a publish waits for a run that holds the schema's writer lock
 */
public record PublishConfig(int retain, String after, int batchSize, Duration lockWait) implements Serializable {

    private static final long serialVersionUID = 1L;

    static PublishConfig from(Settings s) {
        return new PublishConfig(
                s.intIn("publish.retain", 1, 1000),
                s.oneOf("publish.after", "none", "hourly", "daily"),
                s.intIn("publish.batch-size", 1, 100_000),
                s.duration("publish.lock-wait", Duration.ZERO, Duration.ofHours(24)));
    }
}
