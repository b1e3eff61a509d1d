package adrank.jobs.pipeline;

import adrank.jobs.cli.RowJson;
import adrank.loaders.hbase.RankRows;
import adrank.udfs.key.ImpressionKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** {@code rank export}: every row as one JSON line, in key order. */
public final class Export {

    private Export() {
    }

    /** Writes the rows to {@code out}; returns how many. */
    public static long jsonLines(RunContext ctx, PrintStream out, boolean withRunInfo) throws IOException {
        RowJson json = new RowJson(new ImpressionKey(ctx.config().key().separator()), ctx.config().key().dimensions());
        return new RankRows(ctx.hbaseWithTables(), ctx.schema()).forEach(row -> {
            try {
                out.println(RowJson.MAPPER.writeValueAsString(json.toJson(row, withRunInfo)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The export as one string (tests, compare). */
    public static String jsonLines(RunContext ctx) throws IOException {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
            jsonLines(ctx, out, false);
        }
        return buffer.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
