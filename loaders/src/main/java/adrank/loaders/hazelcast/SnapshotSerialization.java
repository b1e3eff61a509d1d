package adrank.loaders.hazelcast;

import adrank.udfs.stats.Counters;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.FieldKind;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import java.util.List;

/**
 * Compact serializers of everything adrank sends to or stores in Hazelcast: snapshot values,
 * control records, and the entry processor and aggregator that run on members. Nothing goes
 * through Java serialization.
 *
 * <p>Clients and members must both register them: {@link #register} does it for configs built in
 * code ({@link EmbeddedHazelcast}, {@link HazelcastClients}); a separately run production member
 * lists {@link #SERIALIZER_CLASSES} under {@code serialization/compact-serialization/serializers}
 * of its {@code hazelcast.xml} and has the adrank-loaders and adrank-udfs jars on its classpath
 * (the entry processor and the checksum aggregator execute there). Type names are fixed strings,
 * so moving a class does not change the stored schema.
 */
public final class SnapshotSerialization {

    /** Serializer class names for a member's {@code hazelcast.xml}. */
    public static final List<String> SERIALIZER_CLASSES = List.of(
            SnapshotEntrySerializer.class.getName(), LoadResultSerializer.class.getName(),
            VersionInfoSerializer.class.getName(), VersionControlSerializer.class.getName(),
            ControlUpdateSerializer.class.getName(), ControlResultSerializer.class.getName(),
            ChecksumAggregatorSerializer.class.getName(), FallbackRuleSerializer.class.getName());

    private SnapshotSerialization() {
    }

    /** Registers every serializer in a member's or a client's serialization config. */
    public static void register(SerializationConfig config) {
        config.getCompactSerializationConfig().setSerializers(new SnapshotEntrySerializer(),
                new LoadResultSerializer(), new VersionInfoSerializer(), new VersionControlSerializer(),
                new ControlUpdateSerializer(), new ControlResultSerializer(), new ChecksumAggregatorSerializer(),
                new FallbackRuleSerializer());
    }

    /**
     * Compact form of snapshot values (entries and parents). {@code rank}, {@code weight} and
     * {@code parentCpm} are {@code FLOAT64}; {@code cpm}, {@code vpcMean}, {@code vpcLo} and
     * {@code vpcHi} are {@code NULLABLE_FLOAT64}, null for none.
     *
     * <p>Entries written before (all {@code FLOAT64}, NaN for none) still read: Compact reads a
     * {@code FLOAT64} field through the nullable accessor, and a non-finite value of an optional
     * field reads as absent. Such an entry whose rank, weight or parent CPM is not finite (an old
     * parent segment without impressions had rank NaN) reads as no entry at all: it was never a
     * usable answer, and no NaN may reach a client.
     */
    public static final class SnapshotEntrySerializer implements CompactSerializer<SnapshotEntry> {
        @Override
        public SnapshotEntry read(CompactReader in) {
            double rank = in.readFloat64("rank");
            double weight = in.readFloat64("weight");
            double parentCpm = in.readFloat64("parentCpm");
            if (!Double.isFinite(rank) || !Double.isFinite(weight) || !Double.isFinite(parentCpm)) {
                return null;
            }
            return new SnapshotEntry(rank, weight, optional(in, "cpm"), parentCpm, optional(in, "vpcMean"),
                    optional(in, "vpcLo"), optional(in, "vpcHi"), in.readBoolean("driftFlagged"),
                    readCounters(in, "today"), readCounters(in, "total"), in.readInt64("computedAt"));
        }

        @Override
        public void write(CompactWriter out, SnapshotEntry e) {
            out.writeFloat64("rank", e.rank());
            out.writeFloat64("weight", e.weight());
            out.writeNullableFloat64("cpm", e.cpm());
            out.writeFloat64("parentCpm", e.parentCpm());
            out.writeNullableFloat64("vpcMean", e.vpcMean());
            out.writeNullableFloat64("vpcLo", e.vpcLo());
            out.writeNullableFloat64("vpcHi", e.vpcHi());
            out.writeBoolean("driftFlagged", e.driftFlagged());
            writeCounters(out, "today", e.today());
            writeCounters(out, "total", e.total());
            out.writeInt64("computedAt", e.computedAt());
        }

        /** A nullable field (or an older entry's {@code FLOAT64}, where NaN meant none). */
        private static Double optional(CompactReader in, String field) {
            Double value = in.readNullableFloat64(field);
            return value == null || !Double.isFinite(value) ? null : value;
        }

        private static Counters readCounters(CompactReader in, String prefix) {
            return new Counters(in.readInt64(prefix + "Imps"), in.readInt64(prefix + "Clicks"),
                    in.readInt64(prefix + "Convs"), in.readInt64(prefix + "RevenueMicros"),
                    in.readInt64(prefix + "ValueMicros"));
        }

        private static void writeCounters(CompactWriter out, String prefix, Counters c) {
            out.writeInt64(prefix + "Imps", c.imps());
            out.writeInt64(prefix + "Clicks", c.clicks());
            out.writeInt64(prefix + "Convs", c.convs());
            out.writeInt64(prefix + "RevenueMicros", c.revenueMicros());
            out.writeInt64(prefix + "ValueMicros", c.valueMicros());
        }

        @Override
        public String getTypeName() {
            return "adrank.SnapshotEntry";
        }

        @Override
        public Class<SnapshotEntry> getCompactClass() {
            return SnapshotEntry.class;
        }
    }

    /** Compact form of count + checksum results. */
    public static final class LoadResultSerializer implements CompactSerializer<LoadResult> {
        @Override
        public LoadResult read(CompactReader in) {
            return new LoadResult(in.readInt64("count"), in.readInt64("checksum"));
        }

        @Override
        public void write(CompactWriter out, LoadResult r) {
            out.writeInt64("count", r.count());
            out.writeInt64("checksum", r.checksum());
        }

        @Override
        public String getTypeName() {
            return "adrank.LoadResult";
        }

        @Override
        public Class<LoadResult> getCompactClass() {
            return LoadResult.class;
        }
    }

    /** Compact form of per-version metadata inside the control record. */
    public static final class VersionInfoSerializer implements CompactSerializer<VersionInfo> {
        @Override
        public VersionInfo read(CompactReader in) {
            return new VersionInfo(in.readInt32("version"), VersionState.valueOf(in.readString("state")),
                    in.readInt64("entries"), in.readInt64("checksum"), in.readInt64("parentEntries"),
                    in.readInt64("parentChecksum"), in.readInt64("createdAt"), in.readInt64("readyAt"),
                    in.readString("note"), optionalCompact(in, "fallback"));
        }

        @Override
        public void write(CompactWriter out, VersionInfo v) {
            out.writeInt32("version", v.version());
            out.writeString("state", v.state().name());
            out.writeInt64("entries", v.entries());
            out.writeInt64("checksum", v.checksum());
            out.writeInt64("parentEntries", v.parentEntries());
            out.writeInt64("parentChecksum", v.parentChecksum());
            out.writeInt64("createdAt", v.createdAt());
            out.writeInt64("readyAt", v.readyAt());
            out.writeString("note", v.note());
            out.writeCompact("fallback", v.fallback());
        }

        @Override
        public String getTypeName() {
            return "adrank.VersionInfo";
        }

        @Override
        public Class<VersionInfo> getCompactClass() {
            return VersionInfo.class;
        }
    }

    /** Compact form of control records ({@code rank.versions} values). */
    public static final class VersionControlSerializer implements CompactSerializer<VersionControl> {
        @Override
        public VersionControl read(CompactReader in) {
            int[] previous = in.readArrayOfInt32("previous");
            VersionInfo[] versions = in.readArrayOfCompact("versions", VersionInfo.class);
            return new VersionControl(in.readString("schema"), in.readInt64("createdAt"), in.readInt32("active"),
                    java.util.Arrays.stream(previous).boxed().toList(), in.readInt32("bVersion"),
                    in.readFloat64("bShare"), in.readString("bScope"), in.readInt32("nextVersion"),
                    in.readInt64("revision"), in.readInt64("updatedAt"), List.of(versions),
                    optionalString(in, "experiment"), optionalString(in, "salt"), optionalString(in, "bSchema"),
                    in.getFieldKind("staged") == FieldKind.NOT_AVAILABLE ? List.of()
                            : java.util.Arrays.stream(in.readArrayOfInt32("staged")).boxed().toList(),
                    optionalString(in, "pinnedBy"), optionalString(in, "pinReason"),
                    in.getFieldKind("pinnedAt") == FieldKind.NOT_AVAILABLE ? 0 : in.readInt64("pinnedAt"),
                    in.getFieldKind("holds") == FieldKind.NOT_AVAILABLE ? List.of()
                            : List.of(in.readArrayOfString("holds")));
        }

        @Override
        public void write(CompactWriter out, VersionControl c) {
            out.writeString("schema", c.schema());
            out.writeInt64("createdAt", c.createdAt());
            out.writeInt32("active", c.active());
            out.writeArrayOfInt32("previous", c.previous().stream().mapToInt(Integer::intValue).toArray());
            out.writeInt32("bVersion", c.bVersion());
            out.writeFloat64("bShare", c.bShare());
            out.writeString("bScope", c.bScope());
            out.writeInt32("nextVersion", c.nextVersion());
            out.writeInt64("revision", c.revision());
            out.writeInt64("updatedAt", c.updatedAt());
            out.writeArrayOfCompact("versions", c.versions().toArray(new VersionInfo[0]));
            out.writeString("experiment", c.experiment());
            out.writeString("salt", c.salt());
            out.writeString("bSchema", c.bSchema());
            out.writeArrayOfInt32("staged", c.staged().stream().mapToInt(Integer::intValue).toArray());
            out.writeString("pinnedBy", c.pinnedBy());
            out.writeString("pinReason", c.pinReason());
            out.writeInt64("pinnedAt", c.pinnedAt());
            out.writeArrayOfString("holds", c.holds().toArray(new String[0]));
        }

        @Override
        public String getTypeName() {
            return "adrank.VersionControl";
        }

        @Override
        public Class<VersionControl> getCompactClass() {
            return VersionControl.class;
        }
    }

    /** Compact form of the control entry processor (runs on members). */
    public static final class ControlUpdateSerializer implements CompactSerializer<ControlUpdate> {
        @Override
        public ControlUpdate read(CompactReader in) {
            return new ControlUpdate(ControlUpdate.Op.valueOf(in.readString("op")), in.readInt32("version"),
                    in.readFloat64("share"), in.readString("scope"), in.readCompact("entries"),
                    in.readCompact("parents"), in.readInt32("retain"), in.readString("reason"), in.readInt64("now"),
                    optionalCompact(in, "fallback"),
                    in.getFieldKind("stage") != FieldKind.NOT_AVAILABLE && in.readBoolean("stage"),
                    optionalString(in, "experiment"), optionalString(in, "salt"), optionalString(in, "otherSchema"));
        }

        @Override
        public void write(CompactWriter out, ControlUpdate u) {
            out.writeString("op", u.op.name());
            out.writeInt32("version", u.version);
            out.writeFloat64("share", u.share);
            out.writeString("scope", u.scope);
            out.writeCompact("entries", u.entries);
            out.writeCompact("parents", u.parents);
            out.writeInt32("retain", u.retain);
            out.writeString("reason", u.reason);
            out.writeInt64("now", u.now);
            out.writeCompact("fallback", u.fallback);
            out.writeBoolean("stage", u.stage);
            out.writeString("experiment", u.experiment);
            out.writeString("salt", u.salt);
            out.writeString("otherSchema", u.otherSchema);
        }

        @Override
        public String getTypeName() {
            return "adrank.ControlUpdate";
        }

        @Override
        public Class<ControlUpdate> getCompactClass() {
            return ControlUpdate.class;
        }
    }

    /** Compact form of what the control entry processor returns. */
    public static final class ControlResultSerializer implements CompactSerializer<ControlResult> {
        @Override
        public ControlResult read(CompactReader in) {
            return new ControlResult(in.readCompact("before"), in.readCompact("after"), in.readString("error"));
        }

        @Override
        public void write(CompactWriter out, ControlResult r) {
            out.writeCompact("before", r.before());
            out.writeCompact("after", r.after());
            out.writeString("error", r.error());
        }

        @Override
        public String getTypeName() {
            return "adrank.ControlResult";
        }

        @Override
        public Class<ControlResult> getCompactClass() {
            return ControlResult.class;
        }
    }

    /** Compact form of the checksum aggregator (runs on members). */
    public static final class ChecksumAggregatorSerializer implements CompactSerializer<ChecksumAggregator> {
        @Override
        public ChecksumAggregator read(CompactReader in) {
            return new ChecksumAggregator(in.readInt64("count"), in.readInt64("checksum"));
        }

        @Override
        public void write(CompactWriter out, ChecksumAggregator a) {
            out.writeInt64("count", a.count);
            out.writeInt64("checksum", a.checksum);
        }

        @Override
        public String getTypeName() {
            return "adrank.ChecksumAggregator";
        }

        @Override
        public Class<ChecksumAggregator> getCompactClass() {
            return ChecksumAggregator.class;
        }
    }

    /**
     * Compact form of a version's {@link FallbackRule} (nested in {@code VersionInfo.fallback}):
     * {@code keyDimensions} (array of strings), {@code separator} (a one-character string),
     * {@code parentSegments} (array of strings in fallback order, each a segment's dimension names
     * joined by ',', "" for the global segment) and {@code parentMinImpressions} (int64).
     */
    public static final class FallbackRuleSerializer implements CompactSerializer<FallbackRule> {
        @Override
        public FallbackRule read(CompactReader in) {
            List<List<String>> segments = new java.util.ArrayList<>();
            for (String text : in.readArrayOfString("parentSegments")) {
                segments.add(FallbackRule.segment(text));
            }
            return new FallbackRule(List.of(in.readArrayOfString("keyDimensions")),
                    in.readString("separator").charAt(0), segments, in.readInt64("parentMinImpressions"));
        }

        @Override
        public void write(CompactWriter out, FallbackRule r) {
            out.writeArrayOfString("keyDimensions", r.keyDimensions().toArray(new String[0]));
            out.writeString("separator", String.valueOf(r.separator()));
            out.writeArrayOfString("parentSegments", r.segmentTexts().toArray(new String[0]));
            out.writeInt64("parentMinImpressions", r.parentMinImpressions());
        }

        @Override
        public String getTypeName() {
            return "adrank.FallbackRule";
        }

        @Override
        public Class<FallbackRule> getCompactClass() {
            return FallbackRule.class;
        }
    }

    /** A string field that records written before it existed lack: "" for them. */
    private static String optionalString(CompactReader in, String field) {
        return in.getFieldKind(field) == FieldKind.NOT_AVAILABLE ? "" : in.readString(field);
    }

    /** A nested record field that records written before it existed lack: null for them. */
    private static <T> T optionalCompact(CompactReader in, String field) {
        return in.getFieldKind(field) == FieldKind.NOT_AVAILABLE ? null : in.readCompact(field);
    }
}
