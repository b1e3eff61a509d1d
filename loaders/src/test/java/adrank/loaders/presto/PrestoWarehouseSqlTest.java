package adrank.loaders.presto;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.loaders.config.AdrankConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SQL of the Presto ETL and read path, without a server (PrestoIT runs it on one). */
class PrestoWarehouseSqlTest {

    private static final List<String> DIMENSIONS = List.of("ad_id", "geo", "device", "os", "browser", "connection",
            "campaign_id", "advertiser_id", "traffic_source", "isp", "request_id");

    private static PrestoWarehouse warehouse(List<String> dimensions) {
        AdrankConfig config = AdrankConfig.load("local", Map.of("home", "/tmp/h"));
        return new PrestoWarehouse(PrestoJdbc.of(config.presto()), config.presto(), config.input().path(), dimensions);
    }

    /**
     * The JDBC driver sends a prepared statement URL-encoded in an HTTP header, which Presto's HTTP
     * server limits to 8 KiB (a longer one fails with an empty "500 Server Error"). The ETL's
     * validation (the parser's checks, 17-column rows included) is longer than that, so it is sent
     * unprepared: its day and hour are literals and it has no parameter; the read path's statement,
     * which is prepared, must stay well within the header.
     */
    @Test
    void theValidationIsSentUnpreparedAndThePreparedReadStatementFitsItsHeader() {
        PrestoWarehouse warehouse = warehouse(DIMENSIONS);
        String validated = warehouse.validatedSql(new adrank.udfs.stats.HourId(java.time.LocalDate.of(2026, 8, 1), 9));
        assertThat(validated).contains("WHERE dt = '2026-08-01' AND hr = '09')").doesNotContain("?");
        assertThat(URLEncoder.encode(validated, StandardCharsets.UTF_8).length()).as("too long to prepare")
                .isGreaterThan(6_000);
        String bucket = new PrestoHourReader(warehouse, "t_agg_key_hourly", DIMENSIONS, '|', 4).bucketSql();
        assertThat(URLEncoder.encode(bucket, StandardCharsets.UTF_8).length()).isLessThan(4_000);
    }

    @Test
    void descriptiveColumnsAreCheckedForInvalidUtf8AndControlCharactersInOnePass() {
        String validated = warehouse(List.of("ad_id", "geo")).validatedSql(new adrank.udfs.stats.HourId(java.time.LocalDate.of(2026, 8, 1), 9));
        // one lambda over request_id .. isp (columns 3..13), not a branch per column
        assertThat(validated).contains("array_position(transform(slice(f, 3, 11), x -> CASE WHEN from_utf8(to_utf8(x)) <> x "
                + "THEN true ELSE regexp_like(x, '[\\x00-\\x1F\\x7F]') END), true) AS t");
        assertThat(validated).contains("'invalid_utf8'").contains("'control_character'")
                .contains("ARRAY['request_id', 'ad_id', 'campaign_id', 'advertiser_id', 'traffic_source', 'geo', "
                        + "'device', 'os', 'browser', 'connection', 'isp']");
        // the order of the parser: event, then the text of the descriptive columns, then empty key components
        assertThat(validated.indexOf("'unknown_event'")).isLessThan(validated.indexOf("'invalid_utf8'"));
        assertThat(validated.indexOf("'invalid_utf8'")).isLessThan(validated.indexOf("'empty_key_component'"));
    }
}
