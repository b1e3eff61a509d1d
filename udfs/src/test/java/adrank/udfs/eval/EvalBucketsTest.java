package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.eval.Buckets.Billing;
import adrank.udfs.eval.Buckets.Volume;
import adrank.udfs.rank.InvalidInputException;
import org.junit.jupiter.api.Test;

class EvalBucketsTest {

    @Test
    void volumeByThresholds() {
        Buckets b = Buckets.DEFAULT; // thin < 100, medium < 10,000, else thick
        assertThat(b.volume(0L)).isEqualTo(Volume.THIN);
        assertThat(b.volume(99L)).isEqualTo(Volume.THIN);
        assertThat(b.volume(100L)).isEqualTo(Volume.MEDIUM);
        assertThat(b.volume(9_999L)).isEqualTo(Volume.MEDIUM);
        assertThat(b.volume(10_000L)).isEqualTo(Volume.THICK);
        assertThat(b.volume(Long.MAX_VALUE)).isEqualTo(Volume.THICK);
        Buckets noMedium = new Buckets(30, 30);
        assertThat(noMedium.volume(29L)).isEqualTo(Volume.THIN);
        assertThat(noMedium.volume(30L)).isEqualTo(Volume.THICK);
    }

    @Test
    void bucketIsVolumeTimesBilling() {
        Buckets.Bucket bucket = Buckets.DEFAULT.bucket(42L, Billing.parse("CPA"));
        assertThat(bucket).isEqualTo(new Buckets.Bucket(Volume.THIN, Billing.CPA));
        assertThat(bucket.label()).isEqualTo("thin/cpa");
        assertThat(Buckets.DEFAULT.bucket(5000L, Billing.UNKNOWN).label()).isEqualTo("medium/unknown");
        assertThat(Billing.parse("cpc")).isEqualTo(Billing.CPC);
        assertThat(Billing.parse("Cpm")).isEqualTo(Billing.CPM);
    }

    @Test
    void faultyValuesAndParametersAreNamed() {
        assertThatThrownBy(() -> Buckets.DEFAULT.volume(null))
            .isInstanceOf(InvalidInputException.class).hasMessage("historyImpressions is null");
        assertThatThrownBy(() -> Buckets.DEFAULT.volume(-1L))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("historyImpressions (-1) is negative");
        assertThatThrownBy(() -> Buckets.DEFAULT.bucket(1L, null))
            .isInstanceOf(InvalidInputException.class).hasMessage("billing is null");
        assertThatThrownBy(() -> Billing.parse("cpv"))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("billing (\"cpv\") is not one of cpm, cpc, cpa, unknown");
        assertThatThrownBy(() -> new Buckets(100, 99))
            .isInstanceOf(IllegalArgumentException.class)
            .isNotInstanceOf(InvalidInputException.class)
            .hasMessage("bucket thresholds thinBelow (100) and thickFrom (99) are not"
                + " 1 <= thinBelow <= thickFrom");
        assertThatThrownBy(() -> new Buckets(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
