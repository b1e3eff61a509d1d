package adrank.loaders.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** {@code hbase.unreachable-timeout} and the HBase client settings it becomes. */
class HBaseBoundTest {

    private static Configuration client(Map<String, String> overrides) {
        return AdrankConfig.load("local", overrides).hbase().toHadoopConfiguration();
    }

    @Test
    void theDefaultMinuteBoundsOperationsAndEachTryOfARegionLookup() {
        Configuration conf = client(Map.of());
        assertThat(conf.get("hbase.client.operation.timeout")).isEqualTo("60000");
        assertThat(conf.get("hbase.client.meta.operation.timeout")).isEqualTo("60000");
        assertThat(conf.get("hbase.rpc.timeout")).isEqualTo("60000");
        assertThat(conf.get("hbase.client.scanner.timeout.period")).isEqualTo("60000");
        // 5 retries = 6 tries of a lookup, each 60 s / 12
        assertThat(conf.get("zookeeper.registry.async.get.timeout")).isEqualTo("5000");
        assertThat(conf.get("hbase.client.meta.read.rpc.timeout")).isEqualTo("5000");
        assertThat(conf.get("hbase.client.meta.scanner.timeout.period")).isEqualTo("5000");
        assertThat(conf.get("hbase.ipc.client.socket.timeout.connect")).isEqualTo("5000");
        assertThat(conf.get("zookeeper.recovery.retry")).isEqualTo("5");
        assertThat(conf.get("zookeeper.session.timeout")).isEqualTo("60000");
        assertThat(conf.get("hbase.client.retries.number")).isEqualTo("5");
    }

    @Test
    void aShortBoundShortensRpcsAndLookupsButNoTryGoesBelowASecond() {
        Configuration conf = client(Map.of("hbase.unreachable-timeout", "15s"));
        assertThat(conf.get("hbase.client.operation.timeout")).isEqualTo("15000");
        assertThat(conf.get("hbase.rpc.timeout")).isEqualTo("15000");
        assertThat(conf.get("hbase.client.scanner.timeout.period")).isEqualTo("15000");
        assertThat(conf.get("zookeeper.registry.async.get.timeout")).isEqualTo("1250");
        assertThat(conf.get("zookeeper.recovery.retry")).isEqualTo("1");

        Configuration floor = client(Map.of("hbase.unreachable-timeout", "5s", "hbase.client-retries", "10"));
        assertThat(floor.get("zookeeper.registry.async.get.timeout")).isEqualTo("1000");
        assertThat(floor.get("hbase.ipc.client.socket.timeout.connect")).isEqualTo("1000");
    }

    @Test
    void aLongBoundKeepsHBaseDefaultsForSingleRpcs() {
        Configuration conf = client(Map.of("hbase.unreachable-timeout", "10m"));
        assertThat(conf.get("hbase.client.operation.timeout")).isEqualTo("600000");
        assertThat(conf.get("hbase.rpc.timeout")).isEqualTo("60000");
        assertThat(conf.get("hbase.client.scanner.timeout.period")).isEqualTo("60000");
        assertThat(conf.get("hbase.ipc.client.socket.timeout.connect")).isEqualTo("10000");
    }

    @Test
    void hbaseExtraWins() {
        Configuration conf = client(Map.of("hbase.extra.\"hbase.client.operation.timeout\"", "1200000",
                "hbase.extra.\"zookeeper.recovery.retry\"", "30"));
        assertThat(conf.get("hbase.client.operation.timeout")).isEqualTo("1200000");
        assertThat(conf.get("zookeeper.recovery.retry")).isEqualTo("30");
        assertThat(conf.get("hbase.rpc.timeout")).isEqualTo("60000");
    }

    @Test
    void theBoundIsCheckedAndNamedTheWayMessagesShowIt() {
        assertThatThrownBy(() -> AdrankConfig.load("local", Map.of("hbase.unreachable-timeout", "2s")))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("hbase.unreachable-timeout").hasMessageContaining("must be in [5s, 1h]");
        HBaseConfig hbase = AdrankConfig.load("local", Map.of("hbase.zookeeper-quorum", "zk1, zk2:2182",
                "hbase.zookeeper-port", "2181", "hbase.unreachable-timeout", "90s")).hbase();
        assertThat(hbase.zookeeperAddress()).isEqualTo("ZooKeeper zk1:2181,zk2:2182");
        assertThat(hbase.unreachableTimeoutSetting()).isEqualTo("hbase.unreachable-timeout = 90s");
        assertThat(AdrankConfig.load("local", Map.of()).hbase().unreachableTimeoutSetting())
                .isEqualTo("hbase.unreachable-timeout = 60s");
    }
}
