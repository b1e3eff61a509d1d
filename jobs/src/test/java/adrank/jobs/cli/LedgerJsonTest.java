package adrank.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.loaders.hazelcast.VersionControl;
import adrank.loaders.hazelcast.VersionInfo;
import adrank.loaders.hazelcast.VersionState;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.udfs.stats.HourId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON lines of `status --json` and `versions list --json`: the documented field names, exactly. */
class LedgerJsonTest {

    private static final LocalDate DAY = LocalDate.of(2026, 5, 1);

    @Test
    void aFailedHourIsOneLineWithEveryDocumentedField() {
        RunRecord failed = new RunRecord(RunUnit.hour(new HourId(DAY, 6)), "20260501T071002123Z", RunRecord.FAILED,
                Instant.parse("2026-05-01T07:10:00Z"), 12_500, 3000, 2, Map.of("bad_number", 1L, "bad_utf8", 1L), 0, 0,
                1_777_619_402_123L, "/data/t_raw_events/dt=2026-05-01/hr=06", "hour 2026-05-01 06: cannot read x.gz");
        assertThat(LedgerJson.attempt(failed, "default")).isEqualTo("{\"schema\":\"default\",\"kind\":\"hour\","
                + "\"dt\":\"2026-05-01\",\"hr\":6,\"run_id\":\"20260501T071002123Z\",\"status\":\"FAILED\","
                + "\"started_at\":\"2026-05-01T07:10:00Z\",\"duration_ms\":12500,\"rows_in\":3000,"
                + "\"rows_quarantined\":2,\"quarantined_by_reason\":{\"bad_number\":1,\"bad_utf8\":1},"
                + "\"keys_written\":0,\"keys_removed\":0,\"write_version\":1777619402123,"
                + "\"input\":\"/data/t_raw_events/dt=2026-05-01/hr=06\","
                + "\"message\":\"hour 2026-05-01 06: cannot read x.gz\",\"results_deferred\":false}");
    }

    @Test
    void aDayHasANullHourAndAbsentTextIsNull() {
        RunRecord fold = new RunRecord(RunUnit.day(DAY), "20260502T001500000Z", RunRecord.SUCCEEDED,
                Instant.parse("2026-05-02T00:15:00Z"), 9_000, 0, 0, Map.of(), 1_981, 0, 1_777_680_900_000L, "", null);
        assertThat(LedgerJson.attempt(fold, "default")).isEqualTo("{\"schema\":\"default\",\"kind\":\"day\","
                + "\"dt\":\"2026-05-01\",\"hr\":null,\"run_id\":\"20260502T001500000Z\",\"status\":\"SUCCEEDED\","
                + "\"started_at\":\"2026-05-02T00:15:00Z\",\"duration_ms\":9000,\"rows_in\":0,\"rows_quarantined\":0,"
                + "\"quarantined_by_reason\":{},\"keys_written\":1981,\"keys_removed\":0,"
                + "\"write_version\":1777680900000,\"input\":null,\"message\":null,\"results_deferred\":false}");
    }

    @Test
    void aBackfillHourWhoseResultsWereDeferredSaysSo() {
        RunRecord hour = new RunRecord(RunUnit.hour(new HourId(DAY, 7)), "20260501T081002123Z", RunRecord.SUCCEEDED,
                Instant.parse("2026-05-01T08:10:00Z"), 2_000, 500, 0, Map.of(), 40, 0, 1_777_623_002_123L,
                "/data/t_raw_events/dt=2026-05-01/hr=07", "results deferred to the fold of 2026-05-01", true);
        assertThat(LedgerJson.attempt(hour, "default")).isEqualTo("{\"schema\":\"default\",\"kind\":\"hour\","
                + "\"dt\":\"2026-05-01\",\"hr\":7,\"run_id\":\"20260501T081002123Z\",\"status\":\"SUCCEEDED\","
                + "\"started_at\":\"2026-05-01T08:10:00Z\",\"duration_ms\":2000,\"rows_in\":500,"
                + "\"rows_quarantined\":0,\"quarantined_by_reason\":{},\"keys_written\":40,\"keys_removed\":0,"
                + "\"write_version\":1777623002123,\"input\":\"/data/t_raw_events/dt=2026-05-01/hr=07\","
                + "\"message\":\"results deferred to the fold of 2026-05-01\",\"results_deferred\":true}");
    }

    @Test
    void aVersionHasItsRoleStateCountsAndTimes() {
        VersionInfo ready = new VersionInfo(3, VersionState.READY, 49_997, 0xfea4f196117feadbL, 57_953, 7L,
                Instant.parse("2026-05-02T00:20:00Z").toEpochMilli(), Instant.parse("2026-05-02T00:20:08Z").toEpochMilli(),
                "", null);
        assertThat(LedgerJson.version(new VersionControl.VersionRow(ready, "active"), "default")).isEqualTo(
                "{\"schema\":\"default\",\"version\":3,\"role\":\"active\",\"state\":\"READY\",\"entries\":49997,"
                        + "\"checksum\":\"fea4f196117feadb\",\"parent_entries\":57953,"
                        + "\"created_at\":\"2026-05-02T00:20:00Z\",\"ready_at\":\"2026-05-02T00:20:08Z\",\"note\":null,"
                        + "\"why_not_active\":null}");
        assertThat(LedgerJson.version(new VersionControl.VersionRow(ready, "staged", "not active: staged by publish "
                + "--stage; `versions activate 3` promotes it"), "default")).endsWith("\"why_not_active\":\"not "
                + "active: staged by publish --stage; `versions activate 3` promotes it\"}");
        VersionInfo loading = new VersionInfo(4, VersionState.LOADING, 0, 0, 0, 0,
                Instant.parse("2026-05-02T01:00:00Z").toEpochMilli(), 0, "", null);
        assertThat(LedgerJson.version(new VersionControl.VersionRow(loading, ""), "default")).isEqualTo(
                "{\"schema\":\"default\",\"version\":4,\"role\":null,\"state\":\"LOADING\",\"entries\":0,"
                        + "\"checksum\":\"0000000000000000\",\"parent_entries\":0,"
                        + "\"created_at\":\"2026-05-02T01:00:00Z\",\"ready_at\":null,\"note\":null,"
                        + "\"why_not_active\":null}");
    }
}
