package adrank.udfs.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import adrank.udfs.rank.InvalidInputException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvalCoverageTest {

    /** 10 keys of a 90 % interval: 8 inside (ends included), 1 below, 1 above. */
    static Coverage tenKeys() {
        Coverage c = Coverage.empty(0.9);
        for (int i = 0; i < 6; i++) {
            c = c.add(0.05, 0.01, 0.1);
        }
        return c.add(0.01, 0.01, 0.1)   // on the lower end: covered
            .add(0.1, 0.01, 0.1)         // on the upper end: covered
            .add(0.009, 0.01, 0.1)       // below
            .add(0.2, 0.01, 0.1);        // above
    }

    @Test
    void shareStandardErrorAndZ() {
        Coverage.Result r = tenKeys().result();
        assertThat(r.keys()).isEqualTo(10);
        assertThat(r.covered()).isEqualTo(8);
        assertThat(r.below()).isEqualTo(1);
        assertThat(r.above()).isEqualTo(1);
        assertThat(r.share()).isEqualTo(0.8);
        assertThat(r.nominal()).isEqualTo(0.9);
        // se = √(0.9·0.1/10) = 0.09486832980505137996, z = −0.1/se = −1.0540925533894597773
        // (mpmath, known_answers.py): 10 keys cannot tell a 10-point gap from chance
        assertThat(r.standardError()).isCloseTo(0.09486832980505137996, within(1e-15));
        assertThat(r.gap()).isCloseTo(-0.1, within(1e-15));
        assertThat(r.z()).isCloseTo(-1.0540925533894597773, within(1e-13));
    }

    @Test
    void everyKeyCoveredStillHasAStandardError() {
        Coverage.Result r = Coverage.empty(0.95).add(1.0, 0.0, 2.0).add(-3.0, -4.0, -3.0)
            .result();
        assertThat(r.share()).isEqualTo(1.0);
        // √(0.95·0.05/2) = 0.15411035007422441
        assertThat(r.standardError()).isCloseTo(Math.sqrt(0.0475 / 2), within(1e-15));
        // a point interval covers its own value
        assertThat(Coverage.empty(0.5).add(2.0, 2.0, 2.0).result().covered()).isEqualTo(1);
    }

    @Test
    void noKeysIsNullNotNaN() {
        Coverage.Result r = Coverage.empty(0.9).result();
        assertThat(r.keys()).isZero();
        assertThat(r.share()).isNull();
        assertThat(r.standardError()).isNull();
        assertThat(r.gap()).isNull();
        assertThat(r.z()).isNull();
        assertThat(r.nominal()).isEqualTo(0.9);
    }

    @Test
    void mergeInAnyOrderEqualsAddingInSequence() {
        Random rnd = new Random(13);
        List<double[]> keys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double lo = rnd.nextDouble();
            keys.add(new double[] {rnd.nextDouble() * 1.5, lo, lo + rnd.nextDouble() * 0.3});
        }
        Coverage sequential = Coverage.empty(0.9);
        for (double[] k : keys) {
            sequential = sequential.add(k[0], k[1], k[2]);
        }
        for (int trial = 0; trial < 5; trial++) {
            Collections.shuffle(keys, rnd);
            List<Coverage> parts = new ArrayList<>();
            int from = 0;
            while (from < keys.size()) {
                int to = Math.min(keys.size(), from + 1 + rnd.nextInt(100));
                Coverage part = Coverage.empty(0.9);
                for (double[] k : keys.subList(from, to)) {
                    part = part.add(k[0], k[1], k[2]);
                }
                parts.add(part);
                from = to;
            }
            Collections.shuffle(parts, rnd);
            Coverage merged = Coverage.empty(0.9);
            for (Coverage p : parts) {
                merged = rnd.nextBoolean() ? merged.merge(p) : p.merge(merged);
            }
            assertThat(merged).isEqualTo(sequential); // counts only: exact
            assertThat(merged.result()).isEqualTo(sequential.result());
        }
    }

    @Test
    void faultyValuesAndParametersAreNamed() {
        Coverage c = Coverage.empty(0.9);
        assertThatThrownBy(() -> c.add(null, 0.0, 1.0))
            .isInstanceOf(InvalidInputException.class).hasMessage("target is null");
        assertThatThrownBy(() -> c.add(0.5, Double.NaN, 1.0))
            .isInstanceOf(InvalidInputException.class).hasMessage("lo (NaN) is not a finite number");
        assertThatThrownBy(() -> c.add(0.5, 0.0, Double.POSITIVE_INFINITY))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("hi (Infinity) is not a finite number");
        assertThatThrownBy(() -> c.add(0.5, 2.0, 1.0))
            .isInstanceOf(InvalidInputException.class).hasMessage("lo (2.0) > hi (1.0)");
        assertThatThrownBy(() -> Coverage.empty(1.0))
            .isInstanceOf(IllegalArgumentException.class)
            .isNotInstanceOf(InvalidInputException.class)
            .hasMessage("nominal (1.0) is not in (0.0, 1.0)");
        assertThatThrownBy(() -> c.merge(Coverage.empty(0.95)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("cannot combine values of different nominal (0.9 and 0.95)");
        assertThatThrownBy(() -> new Coverage(0.9, 3, 1, 1, 0))
            .isInstanceOf(InvalidInputException.class)
            .hasMessage("covered (1) + below (1) + above (0) != keys (3)");
    }
}
