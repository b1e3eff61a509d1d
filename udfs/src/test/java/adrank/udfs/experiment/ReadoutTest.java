package adrank.udfs.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The readout wires each metric's numerator and denominator to the right counters. */
class ReadoutTest {

    @Test
    void cpmIsRevenueOverImpressionsAndMatchesTheHandComputedArms() {
        // the arms of AbStatisticsTest as (revenue, impressions) per unit; clicks = 1, 2, 0, 1 / ...
        ArmSums a = ArmSums.ofUnit(4, 1, 0, 10, 0).plus(ArmSums.ofUnit(2, 2, 1, 3, 5))
                .plus(ArmSums.ofUnit(1, 0, 0, 0, 0)).plus(ArmSums.ofUnit(3, 1, 1, 7, 9));
        ArmSums b = ArmSums.ofUnit(4, 1, 0, 12, 0).plus(ArmSums.ofUnit(2, 1, 0, 5, 0)).plus(ArmSums.ofUnit(2, 1, 1, 2, 4))
                .plus(ArmSums.ofUnit(3, 1, 0, 9, 0)).plus(ArmSums.ofUnit(1, 1, 1, 4, 2));
        Readout r = Readout.of(a, b, 0.5, 0.95, Lift.DEFAULT_SEQUENTIAL_TUNING, SampleRatio.DEFAULT_THRESHOLD);
        Readout.MetricReadout cpm = r.metrics().get(Metric.CPM);
        // R_A = 20/10, Var 2/15; R_B = 8/3, Var (142/9)/115.2; lift 1/3 with Fieller's 95 % interval
        // [-0.141876, 1.200150] (scipy: z = norm.isf(0.025), roots of a t^2 - 2 b t + c, see AbStatisticsTest)
        assertThat(cpm.armA().estimate()).isEqualTo(2.0);
        assertThat(cpm.armA().hi() - 2.0).isCloseTo(1.959964 * Math.sqrt(2.0 / 15), within(1e-5));
        assertThat(cpm.lift().lo()).isCloseTo(-0.14187562343207016, within(1e-9));
        assertThat(cpm.lift().hi()).isCloseTo(1.2001501446155496, within(1e-9));
        // CTR of A: clicks 4 / impressions 10; CVR of A: convs 2 / clicks 4; VPC of A: value 14 / clicks 4
        assertThat(r.metrics().get(Metric.CTR).armA().estimate()).isEqualTo(0.4);
        assertThat(r.metrics().get(Metric.CVR).armA().estimate()).isEqualTo(0.5);
        assertThat(r.metrics().get(Metric.VPC).armA().estimate()).isEqualTo(3.5);
        // CPM in dollars: 2 micros per impression = $0.002 per impression = $2 per mille... x 1000 / 1e6
        assertThat(cpm.armA().estimate() * Metric.CPM.displayScale()).isCloseTo(0.002, within(1e-15));
        assertThat(r.srm().unitsA()).isEqualTo(4);
        assertThat(r.srm().unitsB()).isEqualTo(5);
    }
}
