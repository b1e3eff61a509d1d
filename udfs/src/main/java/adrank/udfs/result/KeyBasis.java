package adrank.udfs.result;

/**
 * What a key's result was computed against beyond its result row's own columns (its parent's key and CPM): the τ²
 * of that parent and the key's noise model. Stored with the key's result by the full result stage (and copied by
 * every incremental hour), so that an incremental hour ranks a known key against the last full stage's parents
 * without reading them ({@link KeyResults#computeAgainst}).
 *
 * @param tau2  the rank parent's τ², null when it had none (or there is no parent)
 * @param noise the key's noise model, null when none
 */
public record KeyBasis(Double tau2, NoiseModel noise) {

    /** As text: {@code <τ² or -> <noise model or ->} (the doubles in their shortest exact form). */
    public String encode() {
        return (tau2 == null ? "-" : Double.toString(tau2)) + " " + (noise == null ? "-" : noise.encode());
    }

    /** The basis {@link #encode} wrote. */
    public static KeyBasis decode(String text) {
        int space = text.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("a key basis is '<tau2> <noise model>', got '" + text + "'");
        }
        String tau2 = text.substring(0, space);
        String noise = text.substring(space + 1);
        return new KeyBasis(tau2.equals("-") ? null : Double.valueOf(tau2),
                noise.equals("-") ? null : NoiseModel.decode(noise));
    }
}
