package adrank.jobs.cli;

import adrank.udfs.stats.HourId;
import java.time.LocalDate;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The hour partition a command works on: {@code --dt yyyy-MM-dd --hr HH}. */
final class HourOptions {

    @Option(names = "--dt", required = true, paramLabel = "yyyy-MM-dd", description = "Day of the partition.")
    LocalDate dt;

    @Option(names = "--hr", required = true, paramLabel = "HH", converter = HourOfDay.class,
            description = "Hour of the partition, 0..23.")
    int hr;

    HourId hour() {
        return new HourId(dt, hr);
    }

    /** An hour of the day, 0..23 ({@code 5} or {@code 05}); anything else is bad usage. */
    static final class HourOfDay implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            try {
                int hour = Integer.parseInt(value.trim());
                if (hour >= 0 && hour <= 23) {
                    return hour;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new TypeConversionException("'" + value + "' is not an hour of the day (0..23)");
        }
    }
}
