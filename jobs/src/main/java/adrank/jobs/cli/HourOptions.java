package adrank.jobs.cli;

import adrank.udfs.stats.HourId;
import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The hour partition a command works on: {@code --dt yyyy-MM-dd --hr HH}. */
final class HourOptions {

    @Option(names = "--dt", required = true, paramLabel = "yyyy-MM-dd", description = "Day of the partition.")
    LocalDate dt;

    @Option(names = "--hr", required = true, paramLabel = "HH", description = "Hour of the partition, 0..23.")
    int hr;

    HourId hour() {
        return new HourId(dt, hr);
    }
}
