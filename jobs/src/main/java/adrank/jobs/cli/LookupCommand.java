package adrank.jobs.cli;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.loaders.hazelcast.SnapshotEntry;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "lookup", mixinStandardHelpOptions = true,
        description = "Look a key up the way an ad server does (RankReader): resolve the version for the traffic "
                + "unit (A/B), fall back to a parent segment by the rule published with that version (as the batch "
                + "chose), report which version and level answered.")
final class LookupCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions options;

    @Parameters(paramLabel = "KEY", arity = "1..*", description = "Encoded key, e.g. "
            + "'ad000001|US|mobile|android|chrome|wifi'; several keys are looked up in one call as an ad server "
            + "asks for the ranks of its candidate ads (RankReader.lookupAll), one JSON line each.")
    List<String> keys;

    @Option(names = "--unit", defaultValue = "cli", paramLabel = "U",
            description = "Traffic-unit id that decides the experiment's arm, A or B (default: ${DEFAULT-VALUE}); "
                    + "the answer's variant is what an ad server logs for it.")
    String unit;

    @Override
    public Integer call() throws Exception {
        AdrankConfig config = options.config();
        try (RankReader reader = RankReader.connect(config.hazelcast(), config.reader(), config.key(),
                config.schema())) {
            if (keys.size() == 1) {
                Lookup lookup = reader.lookup(keys.get(0), unit);
                System.out.println(RowJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(lookup)));
                Summary.print("lookup", summary(lookup));
                return lookup.found() ? 0 : RankCli.EXIT_FAILED;
            }
            long started = System.nanoTime();
            List<Lookup> lookups = reader.lookupAll(keys, unit);
            long micros = (System.nanoTime() - started) / 1000;
            for (Lookup lookup : lookups) {
                System.out.println(RowJson.MAPPER.writeValueAsString(json(lookup)));
            }
            Summary.print("lookup", summary(lookups, micros));
            return lookups.stream().allMatch(Lookup::found) ? 0 : RankCli.EXIT_FAILED;
        }
    }

    /** E.g. {@code 100 keys in one call (1830 µs): 97 found (12 own, 85 via parents), 3 not found; v4 (A)}. */
    static String summary(List<Lookup> lookups, long micros) {
        long found = lookups.stream().filter(Lookup::found).count();
        long viaParents = lookups.stream().filter(Lookup::fromParent).count();
        String versions = lookups.stream().map(l -> (l.schema() == null ? "" : l.schema() + " ") + "v" + l.version()
                + (l.b() ? " (B)" : " (A)")).distinct().sorted().collect(Collectors.joining(", "));
        return Summary.count(lookups.size()) + " keys in one call (" + micros + " µs): " + Summary.count(found)
                + " found (" + Summary.count(found - viaParents) + " own, " + Summary.count(viaParents)
                + " via parents), " + Summary.count(lookups.size() - found) + " not found; from " + versions;
    }

    static String summary(Lookup l) {
        if (!l.found()) {
            return "'" + l.key() + "' not found (" + l.source() + ", version v" + l.version() + ")";
        }
        // the stored rank is micros per thousand impressions; people read dollars
        return "'" + l.key() + "' rank " + String.format(java.util.Locale.ROOT, "$%.3f CPM", l.entry().rank() / 1e6)
                + " from " + (l.schema() == null ? "" : l.schema() + " ") + "v" + l.version() + (l.b() ? " (B)" : " (A)")
                + (l.fromParent() ? " via parent " + l.answeredBy() : "") + ", source " + l.source()
                + (l.variant() == null ? ", no experiment" : ", variant " + l.variantText());
    }

    static ObjectNode json(Lookup l) {
        ObjectNode json = RowJson.MAPPER.createObjectNode();
        json.put("key", l.key());
        if (l.schema() != null) {
            json.put("schema", l.schema());
        }
        json.put("version", l.version());
        json.put("side", l.b() ? "B" : "A");
        // what the ad server logs in the raw events' variant column ("" outside an experiment)
        json.put("variant", l.variantText());
        json.put("source", l.source().name());
        json.put("answered_by", l.answeredBy());
        SnapshotEntry e = l.entry();
        if (e == null) {
            json.putNull("entry");
            return json;
        }
        ObjectNode entry = json.putObject("entry");
        entry.put("rank", e.rank());
        entry.put("weight", e.weight());
        // absent values (no impressions, no VPC) are JSON null; a snapshot holds no NaN or infinity
        putNullable(entry, "cpm", e.cpm());
        entry.put("parent_cpm", e.parentCpm());
        putNullable(entry, "vpc_mean", e.vpcMean());
        putNullable(entry, "vpc_lo", e.vpcLo());
        putNullable(entry, "vpc_hi", e.vpcHi());
        entry.put("drift_flag", e.driftFlagged());
        entry.put("today_imps", e.today().imps());
        entry.put("total_imps", e.total().imps());
        entry.put("computed_at", java.time.Instant.ofEpochMilli(e.computedAt()).toString());
        return json;
    }

    private static void putNullable(ObjectNode node, String name, Double value) {
        if (value == null) {
            node.putNull(name);
        } else {
            node.put(name, value.doubleValue());
        }
    }
}
