package adrank.udfs.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriteOrderTest {

    private static final long NOON = 1_764_000_000_000L; // 2025-11-24T16:00:00Z

    @Test
    void theVersionFollowsTheServerClockWhenItIsAhead() {
        assertThat(WriteOrder.nextVersion(NOON, NOON - 60_000)).isEqualTo(NOON);
        assertThat(WriteOrder.nextVersion(NOON, 0)).isEqualTo(NOON);
    }

    @Test
    void aServerClockThatStepsBackStillGivesAGreaterVersion() {
        // the last run wrote at noon; the server's clock was stepped back two hours since
        long twoHoursBack = NOON - 7_200_000;
        assertThat(WriteOrder.nextVersion(twoHoursBack, NOON)).isEqualTo(NOON + 1);
        // and the next one after that is greater again
        assertThat(WriteOrder.nextVersion(twoHoursBack + 5, NOON + 1)).isEqualTo(NOON + 2);
    }

    @Test
    void twoRunsInTheSameMillisecondGetDistinctVersions() {
        long first = WriteOrder.nextVersion(NOON, NOON - 1);
        long second = WriteOrder.nextVersion(NOON, first);
        assertThat(first).isEqualTo(NOON);
        assertThat(second).isEqualTo(NOON + 1);
    }

    @Test
    void faultyClocksAreRefused() {
        assertThatThrownBy(() -> WriteOrder.nextVersion(0, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("server time must be positive");
        assertThatThrownBy(() -> WriteOrder.nextVersion(NOON, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WriteOrder.nextVersion(NOON, Long.MAX_VALUE)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aLeaseExpiresExactlyOneLeaseAfterItsLastRenewalOnTheServerClock() {
        long lease = 120_000;
        assertThat(WriteOrder.leaseExpired(NOON, lease, NOON + 119_999)).isFalse();
        assertThat(WriteOrder.leaseExpired(NOON, lease, NOON + 120_000)).isTrue();
        // a server clock behind the renewal (stepped back) keeps the lease alive
        assertThat(WriteOrder.leaseExpired(NOON, lease, NOON - 3_600_000)).isFalse();
        assertThatThrownBy(() -> WriteOrder.leaseExpired(NOON, 0, NOON)).isInstanceOf(IllegalArgumentException.class);
    }
}
