package adrank.loaders.config;

import java.nio.file.Path;

/** The Hive metastore ({@code metastore.*}): a thrift URI, or embedded Derby when it is empty. */
public record MetastoreConfig(String uri, Path derbyDir, String warehouseDir) {

    static MetastoreConfig from(Settings s) {
        String uri = s.string("metastore.uri");
        if (!uri.isEmpty() && !uri.matches("thrift://[^\\s,]+(,thrift://[^\\s,]+)*")) {
            throw new ConfigError("metastore.uri = \"" + uri + "\" must be empty or thrift://host:port[,thrift://...]");
        }
        return new MetastoreConfig(uri, s.localPath("metastore.derby-dir"), s.location("metastore.warehouse-dir"));
    }

    public boolean embedded() {
        return uri.isEmpty();
    }
}
