package adrank.udfs.stats;

import java.io.Serializable;

/**
 * The five additive counters kept per key and period. Money is integer micros.
 *
 * <p>Stored in HBase as five space-separated decimals ({@code "imps clicks convs rev val"}):
 * readable in the HBase shell, exact, and about as small as a binary encoding for the small
 * numbers most keys have.
 */
public record Counters(long imps, long clicks, long convs, long revenueMicros, long valueMicros)
        implements Serializable {

    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0);

    public Counters {
        if (imps < 0 || clicks < 0 || convs < 0 || revenueMicros < 0 || valueMicros < 0) {
            throw new IllegalArgumentException("counters must not be negative: imps=" + imps + " clicks=" + clicks
                    + " convs=" + convs + " rev=" + revenueMicros + " val=" + valueMicros);
        }
    }

    public Counters plus(Counters other) {
        return new Counters(
                Math.addExact(imps, other.imps),
                Math.addExact(clicks, other.clicks),
                Math.addExact(convs, other.convs),
                Math.addExact(revenueMicros, other.revenueMicros),
                Math.addExact(valueMicros, other.valueMicros));
    }

    public boolean isZero() {
        return imps == 0 && clicks == 0 && convs == 0 && revenueMicros == 0 && valueMicros == 0;
    }

    public String encode() {
        return imps + " " + clicks + " " + convs + " " + revenueMicros + " " + valueMicros;
    }

    public static Counters decode(String encoded) {
        String[] parts = encoded.trim().split(" ");
        if (parts.length != 5) {
            throw new IllegalArgumentException("counters need 5 space-separated numbers, got '" + encoded + "'");
        }
        return new Counters(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                Long.parseLong(parts[3]), Long.parseLong(parts[4]));
    }
}
