package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.loaders.config.HazelcastConfig;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HazelcastClientsTest {

    @Test
    void noMemberFailsWithinTheTimeoutNamingTheAddresses() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HazelcastConfig nobody = new HazelcastConfig("nobody", List.of("127.0.0.1:" + port), 0, 31,
                Duration.ofMillis(500), Duration.ofSeconds(5));
        String expected = "no Hazelcast member of cluster 'nobody' answered at [127.0.0.1:" + port + "] within 500 ms";
        long started = System.nanoTime();
        assertThatThrownBy(() -> HazelcastClients.connect(nobody)).hasMessageStartingWith(expected);
        assertThatThrownBy(() -> HazelcastClients.connectForReading(nobody)).hasMessageStartingWith(expected);
        org.assertj.core.api.Assertions.assertThat(System.nanoTime() - started)
                .isLessThan(Duration.ofSeconds(5).toNanos());
    }
}
