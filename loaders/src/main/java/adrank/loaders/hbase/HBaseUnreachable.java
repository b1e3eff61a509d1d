package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.hbase.client.RetriesExhaustedWithDetailsException;

/**
 * Whether a failure means that HBase (its ZooKeeper, master or region servers) did not answer within
 * {@code hbase.unreachable-timeout}, and how a run says so: {@code HBase unreachable (ZooKeeper
 * 127.0.0.1:21810, hbase.unreachable-timeout = 60s)}.
 *
 * <p>Only the HBase and ZooKeeper clients' own exceptions count (the cause chain, the suppressed
 * exceptions and the per-action causes of a failed batch are searched, so a Spark task's failure
 * counts too), plus a {@code java.net} connect or timeout exception thrown by the HBase client itself
 * (its retry loop ends with a bare {@code SocketTimeoutException: callTimeout=...}); the same
 * exceptions from Presto, Hazelcast or the metastore do not.
 */
public final class HBaseUnreachable {

    /** Exceptions the HBase and ZooKeeper clients end with when nobody (or nobody in time) answers. */
    private static final Set<String> UNREACHABLE = Set.of(
            "org.apache.hadoop.hbase.client.RetriesExhaustedException",
            "org.apache.hadoop.hbase.client.NoServerForRegionException",
            "org.apache.hadoop.hbase.client.OperationTimeoutExceededException",
            "org.apache.hadoop.hbase.exceptions.LockTimeoutException",
            "org.apache.hadoop.hbase.exceptions.ConnectionClosedException",
            "org.apache.hadoop.hbase.exceptions.ConnectionClosingException",
            "org.apache.hadoop.hbase.ipc.CallTimeoutException",
            "org.apache.hadoop.hbase.ipc.FailedServerException",
            "org.apache.hadoop.hbase.ipc.ServerNotRunningYetException",
            "org.apache.hadoop.hbase.regionserver.RegionServerStoppedException",
            "org.apache.hadoop.hbase.MasterNotRunningException",
            "org.apache.hadoop.hbase.PleaseHoldException",
            "org.apache.hadoop.hbase.ZooKeeperConnectionException",
            "org.apache.zookeeper.KeeperException$ConnectionLossException",
            "org.apache.zookeeper.KeeperException$SessionExpiredException",
            "org.apache.zookeeper.KeeperException$OperationTimeoutException");

    /** Network failures that count when the HBase or ZooKeeper client threw them. */
    private static final Set<String> NETWORK = Set.of("java.net.ConnectException", "java.net.SocketTimeoutException",
            "java.net.NoRouteToHostException", "java.net.UnknownHostException");

    /** ReadOnlyZKClient's give-up: {@code DoNotRetryIOException: Zookeeper GET could not be completed in 5000 ms}. */
    private static final Pattern ZOOKEEPER_TIMEOUT = Pattern.compile("Zookeeper \\w+ could not be completed in \\d+ ms");

    private HBaseUnreachable() {
    }

    /** Whether {@code e} (or anything it carries) says that HBase did not answer. */
    public static boolean in(Throwable e) {
        return evidence(e) != null;
    }

    /** The exception that says HBase did not answer, or null: the innermost one found first. */
    private static Throwable evidence(Throwable e) {
        List<Throwable> seen = new ArrayList<>();
        return find(e, seen);
    }

    private static Throwable find(Throwable e, List<Throwable> seen) {
        if (e == null || seen.contains(e) || seen.size() > 200) {
            return null;
        }
        seen.add(e);
        // the deepest evidence names the cause best (a RetriesExhaustedException wraps a ConnectException)
        Throwable deeper = find(e.getCause(), seen);
        if (deeper != null) {
            return deeper;
        }
        if (e instanceof RetriesExhaustedWithDetailsException batch) {
            for (Throwable cause : batch.getCauses()) {
                Throwable found = find(cause, seen);
                if (found != null) {
                    return found;
                }
            }
        }
        for (Throwable suppressed : e.getSuppressed()) {
            Throwable found = find(suppressed, seen);
            if (found != null) {
                return found;
            }
        }
        return says(e) ? e : null;
    }

    private static boolean says(Throwable e) {
        for (Class<?> c = e.getClass(); c != null && c != Throwable.class; c = c.getSuperclass()) {
            String name = c.getName();
            if (UNREACHABLE.contains(name)) {
                return true;
            }
            if (NETWORK.contains(name)) {
                StackTraceElement[] stack = e.getStackTrace();
                return stack.length > 0 && thrownByClient(stack[0].getClassName());
            }
        }
        return e.getClass().getName().equals("org.apache.hadoop.hbase.DoNotRetryIOException")
                && e.getMessage() != null && ZOOKEEPER_TIMEOUT.matcher(e.getMessage()).find();
    }

    private static boolean thrownByClient(String className) {
        return className.startsWith("org.apache.hadoop.hbase.") || className.startsWith("org.apache.hbase.thirdparty.")
                || className.startsWith("org.apache.zookeeper.");
    }

    /** What a failure message starts with: {@code HBase unreachable (ZooKeeper 127.0.0.1:21810, hbase.unreachable-timeout = 60s)}. */
    public static String describe(HBaseConfig hbase) {
        return "HBase unreachable (" + hbase.zookeeperAddress() + ", " + hbase.unreachableTimeoutSetting() + ")";
    }
}
