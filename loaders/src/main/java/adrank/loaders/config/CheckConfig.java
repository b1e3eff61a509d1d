package adrank.loaders.config;

import adrank.udfs.health.Threshold;
import java.io.Serializable;
import java.time.Duration;

/**
 * Limits of {@code rank check} ({@code check.*}). Each check is WARNING above its warning limit
 * and CRITICAL above its critical limit (see {@link adrank.udfs.health.HealthChecks}).
 *
 * @param lookbackDays     how many days back the newest ready and applied hours are searched
 * @param window           failed units and quarantined shares count attempts started in this window
 * @param lagHours         hours the newest applied hour may be behind the newest ready one
 * @param failedUnits      units whose latest attempt FAILED within the window
 * @param snapshot         whether the snapshot's age is checked (false for a schema never published)
 * @param snapshotAge      seconds since the active snapshot was verified
 * @param quarantinedShare the largest quarantined share of an hour in the window
 * @param lockPastLease    seconds the writer lock stays held past its lease (a run that died holding it)
 */
public record CheckConfig(int lookbackDays, Duration window, Threshold lagHours, Threshold failedUnits,
        boolean snapshot, Threshold snapshotAge, Threshold quarantinedShare, Threshold lockPastLease)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    static CheckConfig from(Settings s) {
        return new CheckConfig(
                s.intIn("check.lookback-days", 1, 400),
                s.duration("check.window", Duration.ofHours(1), Duration.ofDays(400)),
                counts(s, "check.lag-hours"),
                counts(s, "check.failed-units"),
                s.bool("check.snapshot-age.enabled"),
                seconds(s, "check.snapshot-age"),
                threshold(s, "check.quarantined-share", s.doubleIn("check.quarantined-share.warning", 0, 1),
                        s.doubleIn("check.quarantined-share.critical", 0, 1)),
                seconds(s, "check.lock-past-lease"));
    }

    private static Threshold counts(Settings s, String key) {
        return threshold(s, key, s.longIn(key + ".warning", 0, 1_000_000), s.longIn(key + ".critical", 0, 1_000_000));
    }

    private static Threshold seconds(Settings s, String key) {
        Duration max = Duration.ofDays(400);
        return threshold(s, key, s.duration(key + ".warning", Duration.ZERO, max).toSeconds(),
                s.duration(key + ".critical", Duration.ZERO, max).toSeconds());
    }

    private static Threshold threshold(Settings s, String key, double warning, double critical) {
        if (warning > critical) {
            throw new ConfigError(key + ".warning (" + warning + ") must not be above " + key + ".critical ("
                    + critical + ")");
        }
        return new Threshold(warning, critical);
    }
}
