package adrank.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import adrank.udfs.experiment.Metric;
import adrank.udfs.experiment.Readout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A/A calibration at CI size (the 200-replay figures are in README.md, with the command): 20
 * replays through the readout's parser and statistics. With a calibrated 95 % interval, covering
 * zero in at least 16 of 20 has probability 98.4 % (binomial), SRM at p < 0.001 firing more than
 * once in 20 has probability 0.02 %.
 */
class AaReplayTest {

    @Test
    void aaIntervalsCoverZeroAndSrmStaysQuiet(@TempDir Path work) throws Exception {
        int replays = Integer.getInteger("aa.replays", 20);
        AaReplay.Result r = AaReplay.run(replays, 20_000, 3, 2_000, work);
        for (Metric m : Metric.values()) {
            System.out.printf("%s covered %d/%d%n", m, r.covered().get(m), replays);
        }
        assertThat(r.covered().get(Metric.CPM)).isGreaterThanOrEqualTo((int) Math.ceil(replays * 0.8));
        assertThat(r.covered().get(Metric.CTR)).isGreaterThanOrEqualTo((int) Math.ceil(replays * 0.8));
        assertThat(r.srmFlags()).isLessThanOrEqualTo(Math.max(1, replays / 100));
    }

    @Test
    void aBrokenSplitFiresSrm(@TempDir Path work) throws Exception {
        GeneratorSettings settings = GeneratorSettings.builder().seed(7).days(1).hoursPerDay(3).eventsPerHour(20_000)
                .keys(1_000).adServers(1).build();
        ExperimentSettings broken = new ExperimentSettings("aa", "broken", "default", 1, 2, 0.5, 0.45, 0.0, "geo",
                "US", 2_000);
        EventGenerator.generate(settings, broken, work, null, 1);
        Readout r = AaReplay.readOut(work, settings, "aa", 0.5);
        // ~1,000 units seen at 45 % instead of 50 %: chi2 ~ 0.1^2 * n ~ 10 or more
        assertThat(r.srm().mismatch()).as("%s", r.srm()).isTrue();
    }
}
