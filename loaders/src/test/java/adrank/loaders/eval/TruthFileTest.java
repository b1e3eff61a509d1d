package adrank.loaders.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import adrank.udfs.eval.Buckets;
import adrank.udfs.eval.Truth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruthFileTest {

    private static final String HEADER = "ad_id\tgeo\tdevice\tos\tbrowser\tconnection\ttraffic_share\tctr\tcvr"
            + "\tcpm_micros\tvalue_per_conv_micros\tbilling\n";

    @TempDir
    Path dir;

    @Test
    void keysAreEncodedWithTheConfiguredDimensionsAndTheVpcIsCvrTimesValue() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.tsv"), HEADER
                + "ad1\tFR\tmobile\tandroid\tSamsung Internet\twifi\t0.5\t0.02\t0.1\t2500000.0\t3000000.0\tcpc\n"
                + "ad2\tMX\tdesktop\twindows\tchrome\twifi\t0.5\t0.01\t0.0\t1000000.0\t0.0\tcpm\n");
        Map<String, Truth> truth = TruthFile.read(file, List.of("ad_id", "geo", "device", "os", "browser",
                "connection"), '|');
        // the space is escaped in the key as everywhere else
        Truth t = truth.get("ad1|FR|mobile|android|Samsung\\x20Internet|wifi");
        assertThat(t.billing()).isEqualTo(Buckets.Billing.CPC);
        assertThat(t.cpmMicros()).isEqualTo(2_500_000.0);
        assertThat(t.vpcMicros()).isEqualTo(300_000.0); // 0.1 conversions per click × 3,000,000
        assertThat(truth.get("ad2|MX|desktop|windows|chrome|wifi").billing()).isEqualTo(Buckets.Billing.CPM);
        // dimensions in another order pick their columns by name
        assertThat(TruthFile.read(file, List.of("geo", "ad_id"), '|')).containsKeys("FR|ad1", "MX|ad2");
    }

    @Test
    void aMissingColumnOrAnAmbiguousKeyIsRefusedNamingIt() throws Exception {
        Path file = Files.writeString(dir.resolve("keys.tsv"), HEADER
                + "ad1\tFR\tmobile\tandroid\tchrome\twifi\t0.5\t0.02\t0.1\t2500000.0\t3000000.0\tcpc\n"
                + "ad1\tFR\tdesktop\tandroid\tchrome\twifi\t0.5\t0.02\t0.1\t2500000.0\t3000000.0\tcpc\n");
        assertThatThrownBy(() -> TruthFile.read(file, List.of("ad_id", "hour"), '|'))
                .hasMessageContaining("has no column 'hour'");
        assertThatThrownBy(() -> TruthFile.read(file, List.of("ad_id", "geo"), '|'))
                .hasMessageContaining("line 3 repeats key 'ad1|FR'");
    }
}
