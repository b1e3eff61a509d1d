package adrank.testdata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An experiment while it is generated: the arm of every unit, which key combinations are in scope,
 * and what was written (for the truth file).
 */
final class ExperimentRun {

    private final ExperimentSettings settings;
    private final boolean[] unitInB;
    private final boolean[] combinationInScope;
    private final byte[][] unitColumns;
    private final byte[] variantA;
    private final byte[] variantB;
    /** Revenue of B events in scope before and after the lift, and impressions logged per arm. */
    final AtomicLong bRevenueBefore = new AtomicLong();
    final AtomicLong bRevenueAfter = new AtomicLong();
    final AtomicLong impressionsA = new AtomicLong();
    final AtomicLong impressionsB = new AtomicLong();
    final AtomicLong impressionsOutOfScope = new AtomicLong();

    ExperimentRun(ExperimentSettings settings) {
        this.settings = settings;
        this.unitInB = settings.unitsInB();
        this.combinationInScope = new boolean[Dimensions.COMBINATIONS.size()];
        for (int c = 0; c < combinationInScope.length; c++) {
            combinationInScope[c] = settings.inScope(Dimensions.COMBINATIONS.get(c));
        }
        this.unitColumns = new byte[settings.units()][];
        this.variantA = ascii(settings.variantText(false));
        this.variantB = ascii(settings.variantText(true));
    }

    ExperimentSettings settings() {
        return settings;
    }

    int units() {
        return settings.units();
    }

    boolean inScope(int combination) {
        return combinationInScope[combination];
    }

    boolean inB(int unit) {
        return unitInB[unit];
    }

    /** The unit id column's bytes (made once per unit, shared read-only between writer threads). */
    byte[] unitColumn(int unit) {
        byte[] column = unitColumns[unit];
        if (column == null) {
            column = ascii(ExperimentSettings.unitId(unit));
            unitColumns[unit] = column; // a benign race: every thread makes equal bytes
        }
        return column;
    }

    byte[] variant(boolean b) {
        return b ? variantB : variantA;
    }

    /** B's revenue inside the scope, lifted; rounding to micros is the only departure from 1 + lift. */
    long lifted(long revenue) {
        return Math.round(revenue * (1 + settings.lift()));
    }

    /**
     * Writes {@code truth/experiment.tsv}: one {@code name<TAB>value} line per fact of the simulated
     * experiment, including the realised lift of B's revenue (after/before the lift, over the B
     * events in scope; differs from {@code lift} by micros rounding only).
     */
    void writeTruth(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ExperimentSettings s = settings;
        double realised = bRevenueBefore.get() == 0 ? 0 : (double) bRevenueAfter.get() / bRevenueBefore.get() - 1;
        String text = String.join("\n",
                "name\t" + s.name(),
                "salt\t" + s.salt(),
                "variant_a\t" + s.variantText(false),
                "variant_b\t" + s.variantText(true),
                "b_share\t" + s.bShare(),
                "logged_b_share\t" + s.loggedBShare(),
                "scope\t" + (s.scopeDimension() == null ? "" : s.scopeDimension() + "=" + s.scopeValue()),
                "units\t" + s.units(),
                "true_cpm_lift\t" + s.lift(),
                "true_ctr_lift\t0.0",
                "true_cvr_lift\t0.0",
                "true_vpc_lift\t0.0",
                "realised_revenue_lift\t" + String.format(Locale.ROOT, "%.9f", realised),
                "impressions_a\t" + impressionsA.get(),
                "impressions_b\t" + impressionsB.get(),
                "impressions_out_of_scope\t" + impressionsOutOfScope.get()) + "\n";
        Files.writeString(file, text);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
