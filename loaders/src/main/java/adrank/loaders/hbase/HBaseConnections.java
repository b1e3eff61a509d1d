package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.ConnectionFactory;

/** Opens the driver's HBase connection, failing fast with a clear message when nobody answers. */
public final class HBaseConnections {

    private HBaseConnections() {
    }

    /**
     * Opens a connection after checking that one ZooKeeper host answers on its port (the HBase
     * client itself would retry for minutes before saying anything useful).
     */
    public static Connection open(HBaseConfig hbase, String hint) {
        boolean reachable = false;
        for (String host : hbase.zookeeperQuorum().split(",")) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.trim(), hbase.zookeeperPort()), 3000);
                reachable = true;
                break;
            } catch (IOException ignored) {
                // try the next host
            }
        }
        if (!reachable) {
            throw new IllegalStateException("no ZooKeeper answers at " + hbase.zookeeperQuorum() + ":"
                    + hbase.zookeeperPort() + " (hbase.zookeeper-quorum / hbase.zookeeper-port)" + hint);
        }
        try {
            return ConnectionFactory.createConnection(hbase.toHadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to HBase at " + hbase.zookeeperQuorum() + ":"
                    + hbase.zookeeperPort(), e);
        }
    }
}
