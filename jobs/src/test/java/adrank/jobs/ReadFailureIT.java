package adrank.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.jobs.cli.RankCli;
import adrank.jobs.pipeline.DailyJob;
import adrank.jobs.pipeline.Export;
import adrank.jobs.pipeline.HourlyJob;
import adrank.jobs.pipeline.RunContext;
import adrank.jobs.pipeline.RunFailedException;
import adrank.loaders.config.AdrankConfig;
import adrank.loaders.hbase.RunRecord;
import adrank.loaders.hbase.RunUnit;
import adrank.udfs.stats.HourId;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An hour whose input cannot be read (a truncated gzip file, a file that is not gzip, a checksum
 * error) fails naming the file, the ledger records the attempt as FAILED (a failed Spark task is a
 * checked SparkException, which used to leave it RUNNING), the day's fold refuses it as FAILED with
 * that message, and after the file is replaced the hour and the fold run.
 */
@ExtendWith(AdrankStack.class)
class ReadFailureIT {

    private static final LocalDate DAY = LocalDate.of(2026, 5, 1);
    private static final HourId FIVE = new HourId(DAY, 5);
    private static final HourId SIX = new HourId(DAY, 6);

    /** 3,000 lines (~300 kB of text), so a cut file fails after Spark has read rows of it. */
    private static List<String> lines(String ts) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            lines.add(TestHours.line(ts, i % 10 == 0 ? "click" : "imp", "ad" + (i % 40), i % 2 == 0 ? "US" : "FR",
                    "chrome", i % 10 == 0 ? 0 : 1500 + i, 0));
        }
        return lines;
    }

    @Test
    void unreadableInputFailsTheHourInTheLedgerNamingTheFileAndAReplacedFileRecovers(AdrankStack.Services stack)
            throws Exception {
        Map<String, String> settings = stack.newSettings("readfail", Map.of());
        try (RunContext ctx = new RunContext(AdrankConfig.load("local", settings))) {
            Path data = Path.of(ctx.config().input().path());
            TestHours.writeHour(data, "2026-05-01", "05", lines("2026-05-01 05:00:00"));
            HourlyJob.run(ctx, FIVE);
            String before = Export.jsonLines(ctx);

            // 1. a truncated gzip file: the EOFException Spark gives carries no path; the job adds it
            Path dir = TestHours.writeHour(data, "2026-05-01", "06", lines("2026-05-01 06:00:00"));
            Path gz = dir.resolve("adserver-01.tsv.gz");
            byte[] whole = Files.readAllBytes(gz);
            Files.write(gz, Arrays.copyOf(whole, whole.length - 40));
            String eof = "java.io.EOFException: Unexpected end of input stream";
            assertThatThrownBy(() -> HourlyJob.run(ctx, SIX))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageStartingWith("hour 2026-05-01 06: cannot read file:")
                    .hasMessageContaining(gz.toString())
                    .hasMessageEndingWith(eof);
            RunRecord failed = latest(ctx, SIX);
            assertThat(failed.status()).isEqualTo(RunRecord.FAILED);
            assertThat(failed.message()).contains(gz.toString()).endsWith(eof);
            assertThat(Export.jsonLines(ctx)).as("nothing was written to HBase").isEqualTo(before);

            // the fold reports the hour as FAILED, with its cause, not as still running
            assertThatThrownBy(() -> DailyJob.run(ctx, DAY))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining("the latest run of 2026-05-01 06 is FAILED (run " + failed.runId() + ": ")
                    .hasMessageContaining(gz.toString())
                    .hasMessageNotContaining("RUNNING");

            // 2. the command line: exit 1 and one line naming the file (the stack trace is in the log)
            List<String> args = new ArrayList<>(List.of("hourly", "--dt", "2026-05-01", "--hr", "06"));
            settings.forEach((k, v) -> args.add("-D" + k + "=" + v));
            TestCli.Output hourly = TestCli.run(args);
            assertThat(hourly.code()).isEqualTo(RankCli.EXIT_FAILED);
            assertThat(hourly.err().lines().toList()).singleElement().asString()
                    .startsWith("rank hourly: FAILED: hour 2026-05-01 06: cannot read file:")
                    .contains(gz + ": " + eof);
            List<String> status = new ArrayList<>(List.of("status", "--dt", "2026-05-01"));
            settings.forEach((k, v) -> status.add("-D" + k + "=" + v));
            TestCli.Output shown = TestCli.run(status);
            assertThat(shown.code()).isZero();
            assertThat(shown.out().lines().filter(l -> l.startsWith("hour 2026-05-01 06")))
                    .singleElement().asString().contains("FAILED").contains(gz + ": " + eof);

            // 3. not gzip at all: Spark names the file itself
            Files.writeString(gz, "this is not gzip\n");
            assertThatThrownBy(() -> HourlyJob.run(ctx, SIX))
                    .isInstanceOf(RunFailedException.class)
                    .hasMessageContaining(gz.toString())
                    .hasMessageEndingWith("java.io.IOException: not a gzip file");
            assertThat(latest(ctx, SIX).status()).isEqualTo(RunRecord.FAILED);

            // 4. a checksum error (Hadoop's local file system keeps a .crc beside the file). The HBase mini
            //    cluster in this JVM turns checksums off on the cached local file system, so this step
            //    uses fresh instances, as a separate `rank` process has
            Configuration hadoop = ctx.spark().sparkContext().hadoopConfiguration();
            hadoop.setBoolean("fs.file.impl.disable.cache", true);
            try (FileSystem local = FileSystem.newInstance(gz.toUri(), hadoop)) {
                try (OutputStream out = new GZIPOutputStream(local.create(new org.apache.hadoop.fs.Path(gz.toUri()),
                        true))) {
                    out.write(String.join("\n", lines("2026-05-01 06:00:00")).getBytes(StandardCharsets.UTF_8));
                }
                assertThat(dir.resolve(".adserver-01.tsv.gz.crc")).exists();
                byte[] bytes = Files.readAllBytes(gz);
                bytes[bytes.length / 2] ^= 0x55;
                Files.write(gz, bytes);
                assertThatThrownBy(() -> HourlyJob.run(ctx, SIX))
                        .isInstanceOf(RunFailedException.class)
                        .hasMessageContaining("org.apache.hadoop.fs.ChecksumException: Checksum error: ")
                        .hasMessageContaining(gz.toString());
            } finally {
                hadoop.unset("fs.file.impl.disable.cache");
            }
            assertThat(latest(ctx, SIX).status()).isEqualTo(RunRecord.FAILED);
            assertThat(Export.jsonLines(ctx)).isEqualTo(before);

            // 5. the file replaced with a good one: the hour runs, then the fold
            Files.delete(dir.resolve(".adserver-01.tsv.gz.crc"));
            TestHours.writeHour(data, "2026-05-01", "06", lines("2026-05-01 06:00:00"));
            HourlyJob.Outcome rerun = HourlyJob.run(ctx, SIX);
            assertThat(rerun.rowsIn()).isEqualTo(3000);
            assertThat(latest(ctx, SIX).succeeded()).isTrue();
            DailyJob.Outcome folded = DailyJob.run(ctx, DAY);
            assertThat(folded.hoursFolded()).isEqualTo(2);
            assertThat(ctx.ledger().latest(RunUnit.day(DAY)).orElseThrow().succeeded()).isTrue();
            // four failed attempts and one success of hour 06, each recorded with how it ended
            assertThat(ctx.ledger().attempts(RunUnit.hour(SIX))).extracting(RunRecord::status)
                    .containsExactly(RunRecord.FAILED, RunRecord.FAILED, RunRecord.FAILED, RunRecord.FAILED,
                            RunRecord.SUCCEEDED);
        }
    }

    private static RunRecord latest(RunContext ctx, HourId hour) throws Exception {
        return ctx.ledger().latest(RunUnit.hour(hour)).orElseThrow();
    }
}
