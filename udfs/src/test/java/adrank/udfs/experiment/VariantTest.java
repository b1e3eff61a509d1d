package adrank.udfs.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void parsesWhatItWrites() {
        Variant v = Variant.parse("mx-cpm:B:exp_mx:v12");
        assertThat(v.experiment()).isEqualTo("mx-cpm");
        assertThat(v.arm()).isEqualTo(Variant.Arm.B);
        assertThat(v.schema()).isEqualTo("exp_mx");
        assertThat(v.version()).isEqualTo(12);
        assertThat(new Variant("aa.1", Variant.Arm.A, "prod", 3).text()).isEqualTo("aa.1:A:prod:v3");
    }

    @Test
    void emptyMeansNoExperiment() {
        assertThat(Variant.parse("")).isNull();
        assertThat(Variant.parse(null)).isNull();
    }

    @Test
    void rejectsMalformedText() {
        for (String bad : new String[] {"mx", "mx:C:prod:v1", "mx:A:Prod:v1", "mx:A:prod:1", "mx:A:prod:v0",
                "mx:A:prod:v99999999999", "m x:A:prod:v1", "mx:A:prod:v1:extra"}) {
            assertThatThrownBy(() -> Variant.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("experiment:arm:schema:vN");
        }
    }
}
