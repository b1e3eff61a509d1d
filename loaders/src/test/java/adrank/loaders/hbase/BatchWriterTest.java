package adrank.loaders.hbase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.List;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Get;
import org.apache.hadoop.hbase.client.OperationTimeoutExceededException;
import org.apache.hadoop.hbase.client.Table;
import org.apache.hadoop.hbase.util.Bytes;
import org.junit.jupiter.api.Test;

/** The HBase client bug a batch is shielded from (no HBase: the table is a stand-in). */
class BatchWriterTest {

    /** A table whose batch fails the way the HBase 2.6.1 client does when a batch runs out of time (HBASE-27781). */
    private static Table table(Error thrown) {
        return (Table) Proxy.newProxyInstance(Table.class.getClassLoader(), new Class<?>[] {Table.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "batch" -> throw thrown;
                    case "getName" -> TableName.valueOf("adrank_x:ranks");
                    default -> null;
                });
    }

    @Test
    void aBatchThatRunsOutOfItsOperationTimeoutFailsAsOneRatherThanWithAnAssertionError() {
        AssertionError bug = new AssertionError("Incorrect actions in progress; called for 451, actionsInProgress -1; "
                + "replica gets: none; results org.apache.hadoop.hbase.client.OperationTimeoutExceededException: ...");
        List<Get> gets = List.of(new Get(Bytes.toBytes("a")), new Get(Bytes.toBytes("b")));
        assertThatThrownBy(() -> BatchWriter.get(table(bug), gets))
                .isInstanceOf(OperationTimeoutExceededException.class)
                .hasMessage("a batch of 2 operations on adrank_x:ranks timed out locating its regions "
                        + "(HBASE-27781: thrown as an AssertionError)")
                .hasNoCause()
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(bug));
        AssertionError other = new AssertionError("something else");
        assertThatThrownBy(() -> BatchWriter.get(table(other), gets)).isSameAs(other);
    }
}
