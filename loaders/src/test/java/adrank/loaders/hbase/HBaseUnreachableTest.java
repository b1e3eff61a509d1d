package adrank.loaders.hbase;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.loaders.config.AdrankConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.DoNotRetryIOException;
import org.apache.hadoop.hbase.TableNotFoundException;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.OperationTimeoutExceededException;
import org.apache.hadoop.hbase.client.RetriesExhaustedException;
import org.apache.hadoop.hbase.client.RetriesExhaustedWithDetailsException;
import org.apache.hadoop.hbase.client.Row;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

/** Which failures say that HBase did not answer. */
class HBaseUnreachableTest {

    /** A Spark task failure as the driver sees it: the task's exception as the cause. */
    private static RuntimeException task(Throwable cause) {
        return new RuntimeException("Job aborted due to stage failure: Task 0 in stage 3.0 failed 1 times", cause);
    }

    private static <T extends Throwable> T thrownBy(T e, String className) {
        e.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "call", "X.java", 1)});
        return e;
    }

    @Test
    void theHBaseAndZooKeeperClientsGiveUpExceptionsCountWhereverTheyAre() {
        assertThat(HBaseUnreachable.in(new OperationTimeoutExceededException("batch"))).isTrue();
        assertThat(HBaseUnreachable.in(task(new RetriesExhaustedWithDetailsException(List.of(
                new IOException("Cannot get replica 0 location")), List.<Row>of(new Get(Bytes.toBytes("k"))),
                List.of("rs1:16020"))))).isTrue();
        assertThat(HBaseUnreachable.in(new UncheckedIOException(
                new DoNotRetryIOException("Zookeeper LIST could not be completed in 1250 ms")))).isTrue();
        IllegalStateException suppressed = new IllegalStateException("could not finish");
        suppressed.addSuppressed(new RetriesExhaustedException("Failed after attempts=6"));
        assertThat(HBaseUnreachable.in(suppressed)).isTrue();
        // the blocking client's retry loop ends with a bare SocketTimeoutException of its own
        assertThat(HBaseUnreachable.in(thrownBy(new SocketTimeoutException("callTimeout=15000, callDuration=16100"),
                "org.apache.hadoop.hbase.client.RpcRetryingCallerImpl"))).isTrue();
    }

    @Test
    void otherFailuresDoNot() {
        assertThat(HBaseUnreachable.in(new TableNotFoundException("adrank_x:ranks"))).isFalse();
        assertThat(HBaseUnreachable.in(new DoNotRetryIOException("Column family h does not exist"))).isFalse();
        assertThat(HBaseUnreachable.in(task(new IOException("not a gzip file")))).isFalse();
        // a refused connection from Presto, Hazelcast or the metastore is not HBase's
        assertThat(HBaseUnreachable.in(new SQLException("Error executing query", thrownBy(
                new ConnectException("Connection refused"), "sun.nio.ch.Net")))).isFalse();
        assertThat(HBaseUnreachable.in(thrownBy(new SocketTimeoutException("Read timed out"),
                "java.net.SocketInputStream"))).isFalse();
    }

    @Test
    void theMessageNamesTheQuorumAndTheBound() {
        assertThat(HBaseUnreachable.describe(AdrankConfig.load("local", Map.of("hbase.zookeeper-port", "21811",
                "hbase.unreachable-timeout", "15s")).hbase()))
                .isEqualTo("HBase unreachable (ZooKeeper 127.0.0.1:21811, hbase.unreachable-timeout = 15s)");
    }
}
