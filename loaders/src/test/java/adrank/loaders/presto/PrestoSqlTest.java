package adrank.loaders.presto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.stats.HourId;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrestoSqlTest {

    @Test
    void identifiersAreCheckedAndQuoted() {
        assertThat(PrestoSql.id("table", "t_agg_key_hourly")).isEqualTo("\"t_agg_key_hourly\"");
        assertThat(PrestoSql.table("hive", "adrank", "t")).isEqualTo("\"hive\".\"adrank\".\"t\"");
        assertThat(PrestoSql.ids("dim", List.of("ad_id", "geo"))).isEqualTo("\"ad_id\", \"geo\"");
        for (String bad : new String[] {"t\"", "t;", "t'", "t x", "a.b", "", "1t"}) {
            assertThatThrownBy(() -> PrestoSql.id("table", bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void literalsAreOnlyCheckedLocationsAndHours() {
        assertThat(PrestoSql.locationLiteral("file:/tmp/adrank/var/data/t_bin_events"))
                .isEqualTo("'file:/tmp/adrank/var/data/t_bin_events'");
        assertThat(PrestoSql.uri("/a/b")).isEqualTo("file:/a/b");
        assertThat(PrestoSql.uri("hdfs://nn/a")).isEqualTo("hdfs://nn/a");
        assertThatThrownBy(() -> PrestoSql.locationLiteral("file:/tmp/x'); DROP TABLE y; --"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(PrestoSql.partitionValues(new HourId(LocalDate.of(2026, 11, 1), 5)))
                .isEqualTo("ARRAY['2026-11-01', '05']");
    }

    @Test
    void connectionFailuresAreToldFromQueryErrors() {
        assertThat(PrestoJdbc.unreachable(new SQLException("Error executing query",
                new RuntimeException(new ConnectException("Connection refused"))))).isTrue();
        assertThat(PrestoJdbc.unreachable(new SQLException("Query failed: line 1:8: Column 'x' cannot be resolved")))
                .isFalse();
        // seen right after a start on a loaded machine: the coordinator had no active worker for the catalog yet
        assertThat(PrestoJdbc.unreachable(new SQLException("Query failed (#20261122_052258_00025_8644c): "
                + "sortedCandidates is null or empty for ModularHashingNodeProvider"))).isTrue();
        assertThat(PrestoJdbc.rootMessage(new SQLException("Error executing query",
                new ConnectException("Connection refused")))).contains("Connection refused");
    }
}
