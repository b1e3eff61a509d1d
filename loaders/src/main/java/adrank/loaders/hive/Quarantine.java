package adrank.loaders.hive;

import adrank.udfs.stats.HourId;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The dead-letter output: malformed rows of an hour as JSON lines (reason, detail, file, line)
 * under {@code <quarantine-dir>/<table>/dt=../hr=../}. Each run of the hour replaces the
 * hour's directory, so a re-run after fixing the input leaves no stale rejects behind.
 */
public final class Quarantine {

    private final String root;
    private final String table;

    public Quarantine(String root, String table) {
        this.root = root;
        this.table = table;
    }

    public String location(HourId hour) {
        return root + "/" + table + "/dt=" + hour.day() + "/hr=" + hour.hr();
    }

    /** A named location under this table's quarantine, e.g. {@code results/hour=2026110105}. */
    public String location(String unit) {
        return root + "/" + table + "/" + unit;
    }

    /** Writes the rejected rows (columns reason, detail, file, line) and returns the location. */
    public String write(HourId hour, Dataset<Row> rejected) {
        String location = location(hour);
        rejected.coalesce(1).write().mode(SaveMode.Overwrite).json(location);
        return location;
    }
}
