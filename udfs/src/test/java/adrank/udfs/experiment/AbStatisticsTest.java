package adrank.udfs.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Known answers of the A/B readout's statistics. The expected numbers were computed by hand (shown)
 * and checked with a separate Python script written from the formulas (GrowthBook's moment form
 * {@code (σ²_M/μ_D² − 2σ_MD μ_M/μ_D³ + μ_M² σ²_D/μ_D⁴)/n} for the ratio variance, scipy
 * {@code chisquare} for the SRM), not with this code.
 */
class AbStatisticsTest {

    /** Arm A: units (M, D) = (10,4), (3,2), (0,1), (7,3). */
    private static RatioSums armA() {
        return RatioSums.ofUnit(10, 4).plus(RatioSums.ofUnit(3, 2)).plus(RatioSums.ofUnit(0, 1)).plus(RatioSums.ofUnit(7, 3));
    }

    /** Arm B: units (12,4), (5,2), (2,2), (9,3), (4,1). */
    private static RatioSums armB() {
        return RatioSums.ofUnit(12, 4).plus(RatioSums.ofUnit(5, 2)).plus(RatioSums.ofUnit(2, 2))
                .plus(RatioSums.ofUnit(9, 3)).plus(RatioSums.ofUnit(4, 1));
    }

    @Test
    void ratioVarianceByTheDeltaMethodClusteredByUnit() {
        // A: R = 20/10 = 2; residuals M - 2D = 2, -1, -2, 1 -> squares sum 10; n = 4, D-bar = 2.5
        // Var = 10 / (4 * 3 * 2.5^2) = 10/75 = 0.13333 (GrowthBook's moment form gives the same)
        RatioEstimate a = RatioEstimate.of(armA());
        assertThat(a.ratio()).isEqualTo(2.0);
        assertThat(a.variance()).isCloseTo(2.0 / 15, within(1e-12));
        // B: R = 32/12 = 8/3; residuals 4/3, -1/3, -10/3, 1, 4/3 -> squares (16 + 1 + 100 + 9 + 16)/9 = 142/9
        // n = 5, D-bar = 2.4: Var = (142/9) / (5 * 4 * 5.76) = 0.1369599
        RatioEstimate b = RatioEstimate.of(armB());
        assertThat(b.ratio()).isCloseTo(8.0 / 3, within(1e-12));
        assertThat(b.variance()).isCloseTo(0.1369598765432099, within(1e-12));
        assertThat(b.units()).isEqualTo(5);
    }

    @Test
    void fewerThanTwoUnitsOrNoDenominatorHaveNoVariance() {
        assertThat(RatioEstimate.of(RatioSums.ofUnit(3, 1)).variance()).isNaN();
        assertThat(RatioEstimate.of(RatioSums.ofUnit(3, 0).plus(RatioSums.ofUnit(1, 0))).ratio()).isNaN();
        assertThatThrownBy(() -> RatioSums.ofUnit(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void relativeLiftAndItsFixedInterval() {
        // lift = (8/3)/2 - 1 = 1/3; Var = 0.13696/4 + (8/3)^2 * 0.13333/16 = 0.034240 + 0.059259 = 0.093499
        // (the linearized 95 % interval would be 1/3 -+ 1.959964 * 0.305776 = [-0.265977, 0.932644])
        // Fieller, z^2 = 3.841459, R_A = 2, Var_A = 0.133333 (2/15), R_B = 8/3, Var_B = 0.136960 (armB):
        // a = 4 - 3.841459 * 2/15 = 3.487806; b = 16/3; c = 64/9 - 3.841459 * Var_B; theta = (b -+ sqrt(b^2 - a c)) / a
        Interval lift = Lift.fixed(RatioEstimate.of(armA()), RatioEstimate.of(armB()), 0.95);
        assertThat(lift.estimate()).isCloseTo(1.0 / 3, within(1e-12));
        double z2 = 1.959963984540054 * 1.959963984540054;
        double varA = RatioEstimate.of(armA()).variance();
        double varB = RatioEstimate.of(armB()).variance();
        assertThat(varA).isCloseTo(2.0 / 15, within(1e-4));
        assertThat(varB).isCloseTo(0.13696, within(1e-5));
        double a = 4 - z2 * varA;
        double b = 16.0 / 3;
        double c = 64.0 / 9 - z2 * varB;
        assertThat(lift.lo()).isCloseTo((b - Math.sqrt(b * b - a * c)) / a - 1, within(1e-12));
        assertThat(lift.hi()).isCloseTo((b + Math.sqrt(b * b - a * c)) / a - 1, within(1e-12));
        assertThat(lift.hi() - 1.0 / 3).as("skewed right, like the ratio").isGreaterThan(1.0 / 3 - lift.lo());
        assertThat(Lift.relative(RatioEstimate.of(armA()), RatioEstimate.of(armB()))[1])
                .isCloseTo(0.09349922839506172, within(1e-12));
    }

    @Test
    void fiellerKnownAnswerAndTheUnboundedCase() {
        // by hand (scipy z): R_A = 10, Var_A = 1, R_B = 12, Var_B = 2: a = 96.158541, b = 120, c = 136.317082,
        // b^2 - ac = 1291.948223, lift in [-0.125857, 0.621735] (the linearized one: [-0.163519, 0.563519])
        Interval lift = Lift.fixed(new RatioEstimate(10, 1, 100), new RatioEstimate(12, 2, 100), 0.95);
        assertThat(lift.lo()).isCloseTo(-0.12585696799954293, within(1e-9));
        assertThat(lift.hi()).isCloseTo(0.6217350986013206, within(1e-9));
        // a control within z standard errors of 0: every lift is compatible
        Interval unbounded = Lift.fixed(new RatioEstimate(1, 1, 100), new RatioEstimate(2, 1, 100), 0.95);
        assertThat(unbounded.lo()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(unbounded.contains(123.0)).isTrue();
    }

    @Test
    void sequentialIntervalIsTheAsymptoticConfidenceSequence() {
        // alpha = 0.05, N* = 5000: rho^2 = (5.991465 + ln 6.991465) / 5000 = 7.936156 / 5000
        // N = 5000, N * Var = 1: N rho^2 = 7.936156; sqrt(8.936156) = 2.989340; ln(2.989340 / 0.05) = 4.090785
        // half = sqrt(2 * 8.936156 * 4.090785 / (5000 * 7.936156)) = sqrt(73.11175 / 39680.78) = 0.042924
        assertThat(Lift.sequentialHalfWidth(1.0 / 5000, 5000, 0.05, 5000)).isCloseTo(0.042924, within(2e-6));
        // the arms above: N = 9 units, far below N*, so the sequence is very wide (6.31426, Python)
        Interval seq = Lift.sequential(RatioEstimate.of(armA()), RatioEstimate.of(armB()), 0.95, 5000);
        assertThat(seq.hi() - seq.estimate()).isCloseTo(6.314263134876496, within(1e-9));
        // always wider than the fixed interval at the same look
        assertThat(Lift.sequentialHalfWidth(1.0 / 5000, 5000, 0.05, 5000)).isGreaterThan(1.959964 * Math.sqrt(1.0 / 5000));
    }

    @Test
    void sampleRatioMismatch() {
        // 5200 vs 4800 at 50 %: chi2 = 200^2/5000 * 2 = 16, p = erfc(sqrt(8)) = 6.334e-5 (scipy chisquare agrees)
        SampleRatio broken = SampleRatio.check(5200, 4800, 0.5, SampleRatio.DEFAULT_THRESHOLD);
        assertThat(broken.chiSquare()).isCloseTo(16.0, within(1e-9));
        assertThat(broken.p()).isCloseTo(6.334248366623977e-05, within(1e-12));
        assertThat(broken.mismatch()).isTrue();
        // 5050 vs 4950: chi2 = 50^2/5000 * 2 = 1, p = 0.3173 (the chi2(1) table): no mismatch
        SampleRatio fine = SampleRatio.check(5050, 4950, 0.5, SampleRatio.DEFAULT_THRESHOLD);
        assertThat(fine.p()).isCloseTo(0.31731050786291415, within(1e-9));
        assertThat(fine.mismatch()).isFalse();
        // an uneven design: 55 % A / 45 % B logged as 5500/4500 is exactly as designed
        assertThat(SampleRatio.check(5500, 4500, 0.45, 0.001).chiSquare()).isZero();
        assertThatThrownBy(() -> SampleRatio.check(1, 1, 1.0, 0.001)).isInstanceOf(IllegalArgumentException.class);
    }
}
