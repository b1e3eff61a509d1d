package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.HazelcastClients;
import com.hazelcast.core.HazelcastInstance;
import adrank.loaders.hbase.HBaseConnections;
import adrank.loaders.hbase.HBaseTables;
import adrank.loaders.hbase.Ledger;
import adrank.loaders.hbase.WriterLock;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.metrics.RunMetrics;
import adrank.loaders.metrics.RunMetricsPusher;
import adrank.loaders.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.spark.sql.SparkSession;

/**
 * What a command needs to run: the validated config, and the Spark session, HBase connection and
 * Hazelcast client, each opened on first use (so {@code show} never starts Spark). Closing it
 * closes the connections; the Spark session belongs to the process.
 *
 * <p>The driver's clock only times and labels runs (start times, durations); which write wins is
 * decided by write versions taken from HBase ({@link WriterLock}). Tests inject a skewed driver
 * clock, a skew of HBase's clock as the writer lock sees it, and a listener of run phases.
 */
public final class RunContext implements AutoCloseable {

    /** Called when a run enters a phase, before the phase checks that the run still holds its lease. */
    @FunctionalInterface
    public interface PhaseListener {
        void entering(String run, String phase);
    }

    private final AdrankConfig config;
    private final RankSchema schema;
    private final Clock clock;
    private final Duration serverClockSkew;
    private volatile PhaseListener phaseListener = (run, phase) -> { };
    private SparkSession spark;
    private Connection hbase;
    private HazelcastInstance hazelcast;
    private boolean tablesChecked;

    public RunContext(AdrankConfig config) {
        this(config, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * @param clock           the driver's clock (start times and durations only)
     * @param serverClockSkew added to HBase's time where the writer lock reads it (zero in production)
     */
    public RunContext(AdrankConfig config, Clock clock, Duration serverClockSkew) {
        this.config = config;
        this.schema = new RankSchema(config.namespace());
        this.clock = clock;
        this.serverClockSkew = serverClockSkew;
    }

    /** The driver's clock. */
    public Clock clock() {
        return clock;
    }

    public void onPhase(PhaseListener listener) {
        this.phaseListener = listener;
    }

    PhaseListener phaseListener() {
        return phaseListener;
    }

    public AdrankConfig config() {
        return config;
    }

    public RankSchema schema() {
        return schema;
    }

    public synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSessions.getOrCreate(config);
        }
        return spark;
    }

    /** Whether this context has started (or joined) the Spark session yet. */
    public synchronized boolean sparkStarted() {
        return spark != null;
    }

    public synchronized Connection hbase() {
        if (hbase == null) {
            hbase = HBaseConnections.open(config.hbase(),
                    "local".equals(config.env()) ? "; start the embedded stack with `bin/rank local up`" : "");
        }
        return hbase;
    }

    /** The HBase connection, with this schema's namespace and tables created when absent. */
    public synchronized Connection hbaseWithTables() {
        Connection connection = hbase();
        if (!tablesChecked) {
            try {
                HBaseTables.ensure(connection, schema, config.hbase());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the tables of namespace " + schema.namespace(), e);
            }
            tablesChecked = true;
        }
        return connection;
    }

    /** A Hazelcast client of the configured cluster (publish, versions, lookup). */
    public synchronized HazelcastInstance hazelcast() {
        if (hazelcast == null) {
            hazelcast = HazelcastClients.connect(config.hazelcast());
        }
        return hazelcast;
    }

    public Ledger ledger() {
        return new Ledger(hbaseWithTables(), schema);
    }

    /** Pushes run metrics to {@code metrics.pushgateway} (does nothing when it is empty). */
    public RunMetricsPusher metrics() {
        return new RunMetricsPusher(config.metrics());
    }

    /** Pushes a run's metrics when metrics are on; never throws (a failed push is a warning in the log). */
    public void push(RunMetrics run) {
        metrics().push(run);
    }

    /** The schema's writer lock (hourly and daily runs hold it while they write, publishes while they read). */
    public WriterLock writerLock() {
        return new WriterLock(hbaseWithTables(), schema, config.hbase().writerLease(), serverClockSkew);
    }

    @Override
    public synchronized void close() throws IOException {
        if (hazelcast != null) {
            hazelcast.shutdown();
            hazelcast = null;
        }
        if (hbase != null) {
            hbase.close();
            hbase = null;
        }
    }
}
