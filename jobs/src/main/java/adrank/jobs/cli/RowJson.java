package adrank.jobs.cli;

import adrank.loaders.hbase.StoredRow;
import adrank.udfs.key.ImpressionKey;
import adrank.udfs.stats.Counters;
import adrank.udfs.stats.DayStat;
import adrank.udfs.stats.Today;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a stored row, shared by {@code show} and {@code export}. Field order is fixed
 * and nothing depends on when or by which run the row was written unless {@code withRunInfo}, so
 * two exports of the same state are byte-identical.
 */
public final class RowJson {

    public static final ObjectMapper MAPPER = new ObjectMapper();

    private final ImpressionKey codec;
    private final List<String> dimensions;

    public RowJson(ImpressionKey codec, List<String> dimensions) {
        this.codec = codec;
        this.dimensions = dimensions;
    }

    public ObjectNode toJson(StoredRow row, boolean withRunInfo) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("key", row.key());
        ObjectNode dims = json.putObject("dims");
        List<String> components = codec.decode(row.key());
        for (int i = 0; i < components.size(); i++) {
            dims.put(i < dimensions.size() ? dimensions.get(i) : "dim" + i, components.get(i));
        }
        // today = the newest open day; while an older day waits for its fold it is listed too
        if (row.open().isEmpty()) {
            json.putNull("today");
        } else {
            openDay(json.putObject("today"), row.open().newest());
        }
        if (row.open().days().size() > 1) {
            ArrayNode older = json.putArray("unfolded_days");
            for (Today day : row.open().days().subList(1, row.open().days().size())) {
                openDay(older.addObject(), day);
            }
        }
        if (row.total() == null) {
            json.putNull("total");
        } else {
            ObjectNode total = json.putObject("total");
            total.put("days", row.total().days());
            total.put("oldest_day", row.total().oldestDay().toString());
            counters(total, row.total().counters());
        }
        ArrayNode byDay = json.putArray("by_day");
        for (DayStat entry : row.byDay().entries()) {
            ObjectNode day = byDay.addObject();
            day.put("day", entry.day().toString());
            counters(day, entry.counters());
        }
        ObjectNode hours = json.putObject("hours");
        for (Map.Entry<String, Counters> cell : row.hours().entrySet()) {
            counters(hours.putObject(cell.getKey()), cell.getValue());
        }
        ObjectNode result = json.putObject("result");
        for (Map.Entry<String, String> r : row.results().entrySet()) {
            if (withRunInfo || !(r.getKey().equals("run_id") || r.getKey().equals("computed_at"))) {
                result.put(r.getKey(), r.getValue());
            }
        }
        if (withRunInfo) {
            json.put("updated_at", Instant.ofEpochMilli(row.newestWriteVersion()).toString());
        }
        return json;
    }

    private static void counters(ObjectNode node, Counters c) {
        node.put("imps", c.imps());
        node.put("clicks", c.clicks());
        node.put("convs", c.convs());
        node.put("rev", c.revenueMicros());
        node.put("val", c.valueMicros());
    }

    private static void openDay(ObjectNode json, Today day) {
        json.put("day", day.day().toString());
        json.put("hours", day.hours());
        counters(json, day.counters());
    }
}
