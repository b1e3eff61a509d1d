package adrank.loaders.hbase;

import adrank.loaders.config.HBaseConfig;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.hbase.NamespaceDescriptor;
import org.apache.hadoop.hbase.NamespaceExistException;
import org.apache.hadoop.hbase.TableExistsException;
import org.apache.hadoop.hbase.TableName;
import org.apache.hadoop.hbase.client.Admin;
import org.apache.hadoop.hbase.client.ColumnFamilyDescriptorBuilder;
import org.apache.hadoop.hbase.client.Connection;
import org.apache.hadoop.hbase.client.TableDescriptor;
import org.apache.hadoop.hbase.client.TableDescriptorBuilder;
import org.apache.hadoop.hbase.regionserver.BloomType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the namespace and tables of a schema when they are absent. */
public final class HBaseTables {

    private static final Logger LOG = LoggerFactory.getLogger(HBaseTables.class);

    private HBaseTables() {
    }

    public static void ensure(Connection connection, RankSchema schema, HBaseConfig config) throws IOException {
        try (Admin admin = connection.getAdmin()) {
            if (!namespaceExists(admin, schema.namespace())) {
                try {
                    admin.createNamespace(NamespaceDescriptor.create(schema.namespace()).build());
                    LOG.info("created HBase namespace {}", schema.namespace());
                } catch (NamespaceExistException raced) {
                    // another process created it first
                }
            }
            int hourTtlSeconds = (int) TimeUnit.DAYS.toSeconds(config.hourCellTtlDays());
            create(admin, TableDescriptorBuilder.newBuilder(schema.ranks())
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(RankSchema.HOURS)
                            .setMaxVersions(1).setTimeToLive(hourTtlSeconds).setBloomFilterType(BloomType.ROW).build())
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(RankSchema.STATE)
                            .setMaxVersions(1).setBloomFilterType(BloomType.ROW).build())
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(RankSchema.RESULT)
                            .setMaxVersions(1).build())
                    .build()); // one region: the first hour written splits it by its keys (RankRegions)
            create(admin, TableDescriptorBuilder.newBuilder(schema.parents())
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(RankSchema.PARENT).setMaxVersions(1).build())
                    .build());
            create(admin, TableDescriptorBuilder.newBuilder(schema.ledger())
                    .setColumnFamily(ColumnFamilyDescriptorBuilder.newBuilder(RankSchema.LEDGER).setMaxVersions(1).build())
                    .build());
        }
    }

    private static boolean namespaceExists(Admin admin, String namespace) throws IOException {
        for (String existing : admin.listNamespaces()) {
            if (existing.equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    private static void create(Admin admin, TableDescriptor descriptor) throws IOException {
        TableName name = descriptor.getTableName();
        if (admin.tableExists(name)) {
            return;
        }
        try {
            admin.createTable(descriptor);
            LOG.info("created HBase table {}", name);
        } catch (TableExistsException raced) {
            // another process created it first
        }
    }
}
