package adrank.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GeneratorSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        GeneratorSettings s = GeneratorSettings.defaults();

        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.days()).isEqualTo(2);
        assertThat(s.hoursPerDay()).isEqualTo(24);
        assertThat(s.eventsPerHour()).isEqualTo(20_000);
        assertThat(s.keys()).isEqualTo(2_000);
        assertThat(s.adServers()).isEqualTo(4);
        assertThat(s.badRowsPerHour()).isZero();
        assertThat(s.zipfExponent()).isEqualTo(1.1);
        assertThat(s.cpaShare()).isEqualTo(0.3);
        assertThat(s.viewThroughShare()).isEqualTo(0.1);
        assertThat(s.clickLagMedian()).isEqualTo(Duration.ofSeconds(40));
        assertThat(s.conversionLagMedian()).isEqualTo(Duration.ofHours(3));
        assertThat(s.endDay()).isEqualTo(s.startDay().plusDays(1));
    }

    @Test
    void tidyTurnsOffEveryRealismFeatureAndNothingElse() {
        GeneratorSettings s = GeneratorSettings.builder().seed(7).keys(50).cpaShare(0.2).build();

        assertThat(s.tidy()).isEqualTo(s.toBuilder().cpaShare(0).viewThroughShare(0)
                .clickLagMedian(Duration.ZERO).conversionLagMedian(Duration.ZERO).build());
    }

    @Test
    void builderChangesOnlyWhatItIsTold() {
        GeneratorSettings s = GeneratorSettings.builder()
                .seed(7).startDay(LocalDate.of(2025, 1, 31)).days(3).hoursPerDay(6).eventsPerHour(500)
                .keys(50).adServers(2).badRowsPerHour(6).zipfExponent(0.8).cpaShare(0.5).viewThroughShare(0.2)
                .clickLagMedian(Duration.ofSeconds(10)).conversionLagMedian(Duration.ofHours(20)).build();

        assertThat(s).isEqualTo(new GeneratorSettings(7, LocalDate.of(2025, 1, 31), 3, 6, 500, 50, 2, 6, 0.8,
                0.5, 0.2, Duration.ofSeconds(10), Duration.ofHours(20)));
        assertThat(s.toBuilder().seed(8).build()).isEqualTo(new GeneratorSettings(8, LocalDate.of(2025, 1, 31), 3, 6,
                500, 50, 2, 6, 0.8, 0.5, 0.2, Duration.ofSeconds(10), Duration.ofHours(20)));
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("days", (UnaryOperator<GeneratorSettings.Builder>) b -> b.days(0)),
                Arguments.of("hoursPerDay", (UnaryOperator<GeneratorSettings.Builder>) b -> b.hoursPerDay(25)),
                Arguments.of("eventsPerHour", (UnaryOperator<GeneratorSettings.Builder>) b -> b.eventsPerHour(-1)),
                Arguments.of("keys", (UnaryOperator<GeneratorSettings.Builder>) b -> b.keys(0)),
                Arguments.of("adServers", (UnaryOperator<GeneratorSettings.Builder>) b -> b.adServers(100)),
                Arguments.of("badRowsPerHour", (UnaryOperator<GeneratorSettings.Builder>) b -> b.badRowsPerHour(-3)),
                Arguments.of("zipfExponent", (UnaryOperator<GeneratorSettings.Builder>) b -> b.zipfExponent(Double.NaN)),
                Arguments.of("cpaShare", (UnaryOperator<GeneratorSettings.Builder>) b -> b.cpaShare(0.61)),
                Arguments.of("viewThroughShare", (UnaryOperator<GeneratorSettings.Builder>) b -> b.viewThroughShare(-0.1)),
                Arguments.of("clickLagMedian",
                        (UnaryOperator<GeneratorSettings.Builder>) b -> b.clickLagMedian(Duration.ofSeconds(-1))),
                Arguments.of("conversionLagMedian",
                        (UnaryOperator<GeneratorSettings.Builder>) b -> b.conversionLagMedian(Duration.ofDays(3))),
                Arguments.of("conversionLagMedian null",
                        (UnaryOperator<GeneratorSettings.Builder>) b -> b.conversionLagMedian(null)),
                Arguments.of("startDay null", (UnaryOperator<GeneratorSettings.Builder>) b -> b.startDay(null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void invalidValuesAreRejectedNamingTheField(String field, UnaryOperator<GeneratorSettings.Builder> change) {
        boolean nullValue = field.endsWith("null");
        field = field.replace(" null", "");
        assertThatThrownBy(() -> change.apply(GeneratorSettings.builder()).build())
                .isInstanceOf(nullValue ? NullPointerException.class : IllegalArgumentException.class)
                .hasMessageStartingWith(field + " must");
    }

    @Test
    void hourlyTargetsFollowTheDayAndAverageToTheMean() {
        GeneratorSettings s = GeneratorSettings.builder().eventsPerHour(10_000).build();
        long[] target = IntStream.range(0, 24).mapToLong(s::targetEventsForHour).toArray();

        // Rounding each hour moves the day total by at most half an event per hour.
        assertThat(IntStream.range(0, 24).mapToLong(h -> target[h]).sum()).isBetween(240_000L - 12, 240_000L + 12);
        assertThat(target[3]).isLessThan(5_000);
        assertThat(target[15]).isGreaterThan(15_000);
        assertThat(IntStream.range(0, 24).mapToLong(h -> target[h]).min().getAsLong()).isEqualTo(Math.min(target[3], target[4]));
    }
}
