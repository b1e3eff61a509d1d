package adrank.jobs.pipeline;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.LoadResult;
import adrank.loaders.hazelcast.Publication;
import adrank.loaders.hazelcast.PublishResult;
import adrank.loaders.hazelcast.SnapshotEntry;
import adrank.loaders.hazelcast.SnapshotLoader;
import adrank.loaders.hazelcast.SnapshotPublisher;
import adrank.loaders.hazelcast.SnapshotRows;
import adrank.loaders.hbase.ParentTable;
import adrank.loaders.hbase.RankSchema;
import adrank.loaders.hbase.StoredRow;
import adrank.loaders.hbase.TableScans;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.hbase.client.Scan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rank publish}: load the schema's results from HBase into a new Hazelcast snapshot
 * version (from the executors, each with its own client), load the parent averages, verify count
 * and checksum, and only then activate the version. A failure marks the version FAILED and leaves
 * the active one as it was; a killed publish is cleaned up by the next one.
 */
public final class PublishJob {

    private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);

    private PublishJob() {
    }

    /**
     * What a publish did.
     *
     * @param load    the time the executors took to read HBase and load the entries map
     * @param elapsed the whole publish, Spark start included
     */
    public record Outcome(PublishResult result, Duration load, Duration elapsed) {
    }

    public static Outcome run(RunContext ctx) throws IOException {
        AdrankConfig config = ctx.config();
        Instant start = Instant.now();
        SnapshotPublisher publisher = new SnapshotPublisher(ctx.hazelcast(), config.publish(),
                config.key().dimensions());
        Publication publication = publisher.begin(config.schema());
        if (!publication.destroyedMaps().isEmpty()) {
            LOG.info("publish: cleaned up {} left by an earlier publish", publication.destroyedMaps());
        }
        LOG.info("publish: loading {} from {}", publication.entriesMap(), ctx.schema().ranks());
        try {
            SnapshotLoader entriesLoader = publication.entriesLoader(config.hazelcast());
            Instant loadStart = Instant.now();
            LoadResult entries = TableScans.rows(ctx.spark(), config.hbase(), ctx.schema().ranks(),
                            new Scan().addFamily(RankSchema.STATE).addFamily(RankSchema.RESULT).setCaching(1000)
                                    .setCacheBlocks(false))
                    .mapPartitions(rows -> {
                        List<Map.Entry<String, SnapshotEntry>> batch = new ArrayList<>();
                        while (rows.hasNext()) {
                            StoredRow row = StoredRow.decode(rows.next()._2());
                            SnapshotEntry entry = SnapshotRows.entry(row);
                            if (entry != null) {
                                batch.add(Map.entry(row.key(), entry));
                            }
                        }
                        return List.of(entriesLoader.load(batch.iterator())).iterator();
                    })
                    .fold(LoadResult.ZERO, LoadResult::plus);
            Duration load = Duration.between(loadStart, Instant.now());
            LOG.info("publish: loaded {} entries in {} ms ({} entries/s)", entries.count(), load.toMillis(),
                    entries.count() * 1000 / Math.max(1, load.toMillis()));

            List<Map.Entry<String, SnapshotEntry>> parents = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> p : new ParentTable(ctx.hbaseWithTables(), ctx.schema()).all()) {
                parents.add(Map.entry(p.getKey(), SnapshotRows.parent(p.getValue(), start.toEpochMilli())));
            }
            LoadResult parentsLoaded = publication.parentsLoader(config.hazelcast())
                    .load(ctx.hazelcast(), parents.iterator());
            PublishResult result = publisher.commit(publication, entries, parentsLoaded);
            return new Outcome(result, load, Duration.between(start, Instant.now()));
        } catch (RuntimeException e) {
            try {
                publisher.fail(config.schema(), publication.version(), String.valueOf(e.getMessage()));
            } catch (RuntimeException alreadyFinished) {
                e.addSuppressed(alreadyFinished);
            }
            throw e;
        }
    }
}
