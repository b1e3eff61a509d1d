package adrank.loaders.health;

import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionState;
import adrank.loaders.hazelcast.VersionInfo;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.loaders.hbase.WriterLock;
import adrank.loaders.hive.PartitionDirs;
import adrank.udfs.health.HealthChecks.UnitRows;
import adrank.udfs.stats.HourId;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What {@code rank check} reads, and only reads (the judgements are {@link adrank.udfs.health.HealthChecks}):
 * the input partitions' {@code _SUCCESS} markers, the run ledger, the snapshot control record and
 * the writer lock.
 */
public final class HealthProbe {

    private HealthProbe() {
    }

    /**
     * The newest hour among days {@code [from, to]} whose partition
     * {@code <tableLocation>/dt=D/hr=HH} has its {@code _SUCCESS} marker, or null: the days are
     * listed newest first and the search stops at the first day with a ready hour.
     */
    public static HourId newestReadyHour(Configuration hadoop, String tableLocation, LocalDate from, LocalDate to)
            throws IOException {
        Path table = new Path(tableLocation);
        FileSystem fs = table.getFileSystem(hadoop);
        for (LocalDate day = to; !day.isBefore(from); day = day.minusDays(1)) {
            Path dir = new Path(table, "dt=" + day);
            FileStatus[] hours;
            try {
                hours = fs.listStatus(dir);
            } catch (FileNotFoundException e) {
                continue;
            }
            HourId newest = null;
            for (FileStatus status : hours) {
                String name = status.getPath().getName();
                if (status.isDirectory() && name.matches("hr=\\d\\d")) {
                    int hour = Integer.parseInt(name.substring(3));
                    if (hour <= 23 && (newest == null || hour > newest.hour())
                            && fs.exists(new Path(status.getPath(), PartitionDirs.MARKER))) {
                        newest = new HourId(day, hour);
                    }
                }
            }
            if (newest != null) {
                return newest;
            }
        }
        return null;
    }

    /**
     * The ledger as {@code rank check} sees it: the latest attempt of every unit of days
     * {@code [from, to]}.
     *
     * @param newestApplied the newest hour whose latest attempt SUCCEEDED, or null
     * @param failed        units whose latest attempt FAILED and started (write version, HBase's
     *                      clock) at or after {@code windowStart}
     * @param hourRows      rows read and quarantined by the latest attempt of every hour that started
     *                      within the window, failed ones included
     */
    public record LedgerView(HourId newestApplied, List<String> failed, List<UnitRows> hourRows) {
    }

    public static LedgerView ledger(Ledger ledger, LocalDate from, LocalDate to, Instant windowStart)
            throws IOException {
        HourId newestApplied = null;
        List<String> failed = new ArrayList<>();
        List<UnitRows> rows = new ArrayList<>();
        long since = windowStart.toEpochMilli();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (RunRecord run : ledger.latestPerUnit(day)) {
                boolean hour = run.unit().kind().equals(RunUnit.HOUR);
                if (hour && run.succeeded() && (newestApplied == null || run.unit().hourId().compareTo(newestApplied) > 0)) {
                    newestApplied = run.unit().hourId();
                }
                if (run.writeVersion() < since) {
                    continue;
                }
                if (run.status().equals(RunRecord.FAILED)) {
                    failed.add(run.unit().toString());
                }
                if (hour && !run.status().equals(RunRecord.RUNNING)) {
                    rows.add(new UnitRows(run.unit().toString(), run.rowsIn(), Math.min(run.rowsBad(), run.rowsIn())));
                }
            }
        }
        return new LedgerView(newestApplied, failed, rows);
    }

    /**
     * The schema's active snapshot.
     *
     * @param active  the active version, 0 if none
     * @param readyAt when it was verified, null if none
     */
    public record Snapshot(int active, Instant readyAt, String pinnedBy, Instant pinnedAt, int newest,
            Instant newestReadyAt) {

        public boolean pinned() {
            return pinnedBy != null && !pinnedBy.isEmpty();
        }
    }

    public static Snapshot snapshot(SnapshotPublisher publisher, String schema) {
        VersionControl control = publisher.control(schema);
        if (control.active() <= 0) {
            return new Snapshot(0, null, "", null, 0, null);
        }
        Instant readyAt = control.version(control.active()).map(VersionInfo::readyAt).filter(t -> t > 0)
                .map(Instant::ofEpochMilli).orElse(null);
        VersionInfo newest = control.versions().stream().filter(v -> v.state() == VersionState.READY)
                .max(java.util.Comparator.comparingLong(VersionInfo::readyAt)).orElse(null);
        return new Snapshot(control.active(), readyAt, control.pinnedBy(),
                control.pinned() ? Instant.ofEpochMilli(control.pinnedAt()) : null,
                newest == null ? 0 : newest.version(),
                newest == null || newest.readyAt() <= 0 ? null : Instant.ofEpochMilli(newest.readyAt()));
    }

    /**
     * The writer lock.
     *
     * @param owner     the holder (released leases have none), null when free
     * @param expiresAt when its lease expires, HBase's clock
     * @param now       HBase's time
     */
    public record Lock(String owner, Instant expiresAt, Instant now) {
    }

    public static Lock lock(WriterLock lock) throws IOException {
        Instant now = lock.serverTime();
        return lock.holder().map(h -> new Lock(h.owner(), h.expiresAt(), now)).orElse(new Lock(null, null, now));
    }
}
