/**
 * Versioned rank snapshots in Hazelcast, and the reader ad servers use.
 *
 * <p>Maps ({@link adrank.loaders.hazelcast.SnapshotMaps}): {@code rank.<schema>.v<N>} (encoded
 * impression key → {@link adrank.loaders.hazelcast.SnapshotEntry}), {@code rank.<schema>.parents.v<N>}
 * ({@link adrank.udfs.key.ParentKeys parent key} → entry) and {@code rank.versions}
 * (schema → {@link adrank.loaders.hazelcast.VersionControl}).
 *
 * <p>Publishing ({@link adrank.loaders.hazelcast.SnapshotPublisher}): {@code begin} allocates
 * version N as LOADING (cleaning up what killed or failed publishes left); executors load both
 * maps with {@link adrank.loaders.hazelcast.SnapshotLoader}s and report count + checksum;
 * {@code commit} recomputes both on the members, and only if they match makes N active in one
 * atomic control update, then destroys versions beyond {@code publish.retain}.
 *
 * <p>Reading ({@link adrank.loaders.hazelcast.RankReader}): resolves the version per request
 * ({@link adrank.loaders.hazelcast.Routing}, {@link adrank.udfs.experiment.UnitSplit}),
 * answers from a local cache keyed by (version, key), falls back to a parent segment by the
 * version's recorded {@link adrank.loaders.hazelcast.FallbackRule} and the batch's
 * {@link adrank.udfs.result.ParentChoice}, follows the control entry with a listener and keeps
 * answering from the cache when the cluster is away.
 *
 * <p>Everything on the wire is Compact ({@link adrank.loaders.hazelcast.SnapshotSerialization});
 * {@link adrank.loaders.hazelcast.EmbeddedHazelcast} is the member of {@code rank local up} and the tests.
 */
package adrank.loaders.hazelcast;
