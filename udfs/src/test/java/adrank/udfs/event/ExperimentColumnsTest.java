package adrank.udfs.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import adrank.udfs.experiment.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional trailing {@code unit_id} and {@code variant} columns of a raw row. */
class ExperimentColumnsTest {

    private final RawEventParser parser =
            new RawEventParser(List.of("ad_id", "geo", "device", "os", "browser", "connection"), '|');

    private static final String BASE = String.join("\t", "2026-11-20 05:13:42", "imp", "req1", "ad7", "cmp1", "adv1",
            "search", "MX", "mobile", "android", "chrome", "wifi", "Telmex", "2500", "0");

    @Test
    void seventeenColumnsCarryUnitAndVariantAndChangeNothingElse() throws Exception {
        ParsedEvent plain = parser.parseLine(BASE);
        ParsedEvent tagged = parser.parseLine(BASE + "\tu42\tmx-cpm:B:exp_mx:v12");
        assertThat(tagged.unitId()).isEqualTo("u42");
        assertThat(tagged.variant()).isEqualTo(new Variant("mx-cpm", Variant.Arm.B, "exp_mx", 12));
        assertThat(new ParsedEvent(tagged.key(), tagged.type(), tagged.revenueMicros(), tagged.valueMicros()))
                .isEqualTo(plain);
        assertThat(plain.unitId()).isNull();
        assertThat(plain.variant()).isNull();
    }

    @Test
    void emptyTrailingColumnsMeanNotInAnExperiment() throws Exception {
        ParsedEvent outside = parser.parseLine(BASE + "\tu42\t");
        assertThat(outside.unitId()).isEqualTo("u42");
        assertThat(outside.variant()).isNull();
        assertThat(parser.parseLine(BASE + "\t\t").unitId()).isNull();
    }

    @Test
    void otherColumnCountsAreStillRejected() {
        for (String line : List.of(BASE + "\tu42", BASE + "\tu42\tx:A:s:v1\textra")) {
            MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(line), MalformedRowException.class);
            assertThat(e.reason()).isEqualTo(RejectReason.COLUMN_COUNT);
        }
        MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(BASE + "\tu42"), MalformedRowException.class);
        assertThat(e.detail()).isEqualTo("expected 15 (or 17 with unit_id, variant) tab-separated columns, got 16");
    }

    @Test
    void aMalformedVariantHasItsOwnReason() {
        for (String variant : List.of("mx-cpm:C:exp_mx:v1", "mx-cpm:B:exp_mx:12", "mx-cpm:B:exp_mx:v0", "B")) {
            MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(BASE + "\tu42\t" + variant),
                    MalformedRowException.class);
            assertThat(e.reason()).as(variant).isEqualTo(RejectReason.BAD_VARIANT);
            assertThat(e.detail()).contains(variant);
        }
        MalformedRowException noUnit = catchThrowableOfType(
                () -> parser.parseLine(BASE + "\t\tmx-cpm:A:exp_mx:v3"), MalformedRowException.class);
        assertThat(noUnit.reason()).isEqualTo(RejectReason.BAD_VARIANT);
        assertThat(noUnit.detail()).contains("no unit_id");
    }

    @Test
    void aUnitWithAControlCharacterIsQuarantinedLikeAnyText() {
        MalformedRowException e = catchThrowableOfType(() -> parser.parseLine(BASE + "\tu\u00014\t"),
                MalformedRowException.class);
        assertThat(e.reason()).isEqualTo(RejectReason.CONTROL_CHARACTER);
        assertThat(e.detail()).startsWith("unit_id");
    }

    @Test
    void fieldsOfOrcOrParquetRowsMayHaveTheTwoColumnsOrNot() throws Exception {
        String[] fields = (BASE + "\tu7\tmx-cpm:A:default:v3").split("\t", -1);
        ParsedEvent withColumns = parser.parseFields(fields);
        assertThat(withColumns.variant().arm()).isEqualTo(Variant.Arm.A);
        assertThat(parser.parseFields(java.util.Arrays.copyOf(fields, 15)).key()).isEqualTo(withColumns.key());
        String[] nullVariant = fields.clone();
        nullVariant[16] = null;
        assertThat(parser.parseFields(nullVariant).variant()).isNull();
    }
}
