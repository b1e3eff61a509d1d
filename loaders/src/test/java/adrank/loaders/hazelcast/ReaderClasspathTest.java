package adrank.loaders.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.key.ImpressionKey;
import com.hazelcast.core.HazelcastInstance;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The reader runs in an ad server that has neither Spark, HBase nor Typesafe Config. */
@ExtendWith(HazelcastCluster.class)
class ReaderClasspathTest {

    @Test
    void theReaderNeedsOnlyHazelcastSlf4jCommonsCodecUdfsAndLoadersClasses(HazelcastCluster.Cluster cluster) throws Exception {
        String schema = cluster.newSchema("classpath");
        TestSnapshots.publish(cluster.publisher(3), cluster, schema, 10, 4);
        String classpath = String.join(File.pathSeparator, location(RankReader.class), location(ReaderProbe.class),
                location(ImpressionKey.class), location(HazelcastInstance.class), location(LoggerFactory.class),
                location(org.apache.commons.codec.digest.MurmurHash3.class));
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, ReaderProbe.class.getName(), cluster.clientConfig().clusterName(),
                cluster.clientConfig().members().get(0), schema, TestSnapshots.key(3))
                .redirectErrorStream(true).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).doesNotContain("unexpectedly present");
        List<String> lines = output.lines().filter(line -> line.startsWith("version=")).toList();
        assertThat(lines).as(output).containsExactly("version=1 source=MEMBER rank=" + TestSnapshots.entry(3, 4).rank());
        assertThat(probe.exitValue()).as(output).isZero();
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
