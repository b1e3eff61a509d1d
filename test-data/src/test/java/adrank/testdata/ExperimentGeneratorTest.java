package adrank.testdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.experiment.UnitSplit;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated experiment: what it adds to the lines, and that it changes nothing else. */
class ExperimentGeneratorTest {

    private static final GeneratorSettings SETTINGS = GeneratorSettings.builder().days(1).hoursPerDay(2)
            .eventsPerHour(4_000).keys(300).adServers(2).build();

    @Test
    void aaRunAddsTheTwoColumnsAndChangesNoOtherByte(@TempDir Path plain, @TempDir Path aa) throws IOException {
        EventGenerator.generate(SETTINGS, null, plain, null, 2);
        ExperimentSettings experiment = ExperimentSettings.of("mx-cpm", 0.0, 500);
        EventGenerator.generate(SETTINGS, experiment, aa, null, 2);
        List<String> before = lines(plain);
        List<String> after = lines(aa);
        assertThat(after).hasSameSizeAs(before);
        int inScope = 0;
        for (int i = 0; i < before.size(); i++) {
            String[] f = after.get(i).split("\t", -1);
            assertThat(f).hasSize(17);
            assertThat(String.join("\t", java.util.Arrays.copyOf(f, 15))).isEqualTo(before.get(i));
            String unit = f[15];
            boolean mx = f[RawEventLayout.GEO].equals("MX");
            if (mx) {
                inScope++;
                // the arm is the reader's rule applied to the logged unit
                String arm = UnitSplit.inB("mx-cpm", unit, 0.5) ? "B:default:v2" : "A:default:v1";
                assertThat(f[16]).isEqualTo("mx-cpm:" + arm);
            } else {
                assertThat(f[16]).isEmpty();
            }
        }
        assertThat(inScope).isPositive();
    }

    @Test
    void bRevenueInScopeIsLiftedExactlyAndTheTruthSaysSo(@TempDir Path plain, @TempDir Path lifted) throws IOException {
        EventGenerator.generate(SETTINGS, null, plain, null, 2);
        EventGenerator.generate(SETTINGS, ExperimentSettings.of("mx-cpm", 0.10, 500), lifted, null, 2);
        List<String> before = lines(plain);
        List<String> after = lines(lifted);
        long bBefore = 0;
        long bAfter = 0;
        for (int i = 0; i < before.size(); i++) {
            String[] a = after.get(i).split("\t", -1);
            long old = Long.parseLong(before.get(i).split("\t", -1)[RawEventLayout.REVENUE_MICROS]);
            long now = Long.parseLong(a[RawEventLayout.REVENUE_MICROS]);
            if (a[16].contains(":B:")) {
                assertThat(now).isEqualTo(Math.round(old * 1.10));
                bBefore += old;
                bAfter += now;
            } else {
                assertThat(now).isEqualTo(old);
            }
        }
        // rounding each lifted amount to whole micros (small MX prices) moves the realised lift by ~1e-4
        assertThat((double) bAfter / bBefore - 1).isCloseTo(0.10, within(1e-3));
        String truth = Files.readString(EventGenerator.experimentTruthFile(lifted));
        assertThat(truth).contains("true_cpm_lift\t0.1\n", "scope\tgeo=MX\n", "b_share\t0.5\n");
        double realised = Double.parseDouble(truth.replaceAll("(?s).*realised_revenue_lift\t([-0-9.]+).*", "$1"));
        assertThat(realised).isCloseTo((double) bAfter / bBefore - 1, within(1e-9));
    }

    @Test
    void aBrokenSplitLogsBForTheLoggedShare() {
        ExperimentSettings broken = ExperimentSettings.of("mx-cpm", 0.0, 20_000).withLoggedBShare(0.45);
        boolean[] inB = broken.unitsInB();
        int b = 0;
        for (boolean x : inB) {
            b += x ? 1 : 0;
        }
        // binomial(20000, 0.45): sd = 70, so 9000 +- 350 is 5 sd
        assertThat(b).isBetween(8650, 9350);
    }

    private static List<String> lines(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (int hr = 0; hr < SETTINGS.hoursPerDay(); hr++) {
            for (int server = 1; server <= SETTINGS.adServers(); server++) {
                Path file = RawEventLayout.hourDirectory(root, SETTINGS.startDay(), hr)
                        .resolve(RawEventLayout.serverFileName(server));
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                    r.lines().forEach(out::add);
                }
            }
        }
        return out;
    }
}
