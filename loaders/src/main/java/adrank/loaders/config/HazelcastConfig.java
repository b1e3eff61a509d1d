package adrank.loaders.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to reach the Hazelcast cluster that serves rank snapshots ({@code hazelcast.*}), and how
 * {@code rank local up} runs its embedded member. Serializable so Spark executors can open
 * their own clients from it.
 *
 * @param clusterName         cluster name members and clients must share
 * @param members             {@code host:port} addresses a client tries
 * @param localPort           port of the embedded member (0: any free port, for tests)
 * @param localPartitionCount partitions of the embedded member
 * @param connectTimeout      how long a client tries to reach a member before it fails
 * @param invocationTimeout   how long a client operation retries (member restarts) before it fails
 */
public record HazelcastConfig(String clusterName, List<String> members, int localPort, int localPartitionCount,
        Duration connectTimeout, Duration invocationTimeout) implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern ADDRESS = Pattern.compile("([^\\s:\\[\\]]+|\\[[0-9A-Fa-f:.]+\\]):\\d{1,5}");

    public HazelcastConfig {
        members = List.copyOf(members);
    }

    static HazelcastConfig from(Settings s) {
        List<String> members = s.stringList("hazelcast.members");
        if (members.isEmpty()) {
            throw new ConfigError("hazelcast.members must list at least one host:port");
        }
        for (String member : members) {
            if (!ADDRESS.matcher(member).matches()) {
                throw new ConfigError("hazelcast.members: '" + member + "' is not host:port");
            }
        }
        return new HazelcastConfig(
                s.nonEmpty("hazelcast.cluster-name"),
                members,
                s.intIn("hazelcast.local-port", 0, 65535),
                s.intIn("hazelcast.local-partition-count", 1, 10_000),
                s.duration("hazelcast.connect-timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                s.duration("hazelcast.invocation-timeout", Duration.ofSeconds(1), Duration.ofHours(1)));
    }

    /** The same settings with clients pointed at other members (the embedded member, tests). */
    public HazelcastConfig withMembers(List<String> newMembers) {
        return new HazelcastConfig(clusterName, newMembers, localPort, localPartitionCount, connectTimeout,
                invocationTimeout);
    }

    /** The same settings with the embedded member on another port (0: any free port). */
    public HazelcastConfig withLocalPort(int port) {
        return new HazelcastConfig(clusterName, members, port, localPartitionCount, connectTimeout, invocationTimeout);
    }
}
