package adrank.udfs.result;

/**
 * The full result stage an hourly run's incremental results build on (README "Incremental results"): the write
 * version of the stage whose parents (CPM, impressions, τ², noise models) the parents table holds, the fingerprint
 * of the settings it computed them with, how many impressions all keys held then (its global segment's), and
 * how many impressions the incremental hours since then applied.
 *
 * <p>An hourly run ranks only the keys its hour touched, against these parents, when {@link #decide} says so;
 * otherwise it runs the full stage, which becomes the new basis. Untouched keys keep the result they have, which
 * was computed against the same parents from the same state, so every stored result is
 * {@code KeyResults.compute(state, the basis's parents)} of its key.
 *
 * @param version     the write version of the full stage (its parents' cells carry it)
 * @param fingerprint a digest of the settings that shape a key's result (the loaders' {@code RankConfig})
 * @param impressions the impressions of every key at the full stage (its global segment's), ≥ 0
 * @param hoursSince  the impressions each incremental hour since applied, by hour id: a re-run of an hour replaces
 *                    its entry, so re-runs never count an hour twice
 */
public record ResultsBasis(long version, String fingerprint, long impressions, java.util.SortedMap<String, Long> hoursSince) {

    public ResultsBasis {
        if (fingerprint == null || fingerprint.isEmpty() || fingerprint.contains(" ")) {
            throw new IllegalArgumentException("a results basis needs the fingerprint of its settings (one word), got '"
                    + fingerprint + "'");
        }
        hoursSince = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(hoursSince));
        if (impressions < 0 || hoursSince.values().stream().anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("impressions must be >= 0, got " + impressions + " and " + hoursSince);
        }
    }

    /** A basis no incremental hour has built on yet. */
    public ResultsBasis(long version, String fingerprint, long impressions) {
        this(version, fingerprint, impressions, new java.util.TreeMap<>());
    }

    /** The impressions the incremental hours since the basis applied (each hour once). */
    public long impressionsSince() {
        long sum = 0;
        for (long v : hoursSince.values()) {
            sum = Math.addExact(sum, v);
        }
        return sum;
    }

    /** As text: {@code <version> <fingerprint> <impressions> <hour>=<impressions>,...} ({@code -} for no hour). */
    public String encode() {
        StringBuilder hours = new StringBuilder();
        hoursSince.forEach((h, v) -> hours.append(hours.length() == 0 ? "" : ",").append(h).append('=').append(v));
        return version + " " + fingerprint + " " + impressions + " " + (hours.length() == 0 ? "-" : hours);
    }

    /** The basis {@link #encode} wrote. */
    public static ResultsBasis decode(String text) {
        String[] f = text.split(" ");
        if (f.length != 4) {
            throw new IllegalArgumentException("a results basis is '<version> <fingerprint> <impressions> <hours>', got '"
                    + text + "'");
        }
        java.util.SortedMap<String, Long> hours = new java.util.TreeMap<>();
        if (!f[3].equals("-")) {
            for (String entry : f[3].split(",")) {
                int eq = entry.indexOf('=');
                hours.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
            }
        }
        return new ResultsBasis(Long.parseLong(f[0]), f[1], Long.parseLong(f[2]), hours);
    }

    /** Why an hourly run computes its results the way it does. */
    public enum Mode {
        /** Only the hour's keys, against the basis's parents. */
        INCREMENTAL("incremental: the hour's keys against the parents of the last full stage"),
        /** {@code rank.hourly-results = full}. */
        FULL_CONFIGURED("full: rank.hourly-results = full"),
        /** No full stage completed since the schema began, or the last one did not finish. */
        FULL_NO_BASIS("full: no completed full result stage to build on"),
        /** The settings that shape results changed since the basis. */
        FULL_SETTINGS_CHANGED("full: the rank settings changed since the last full stage"),
        /** A late hour of a folded day re-folds history (and the VPC): what the fold would give. */
        FULL_LATE_HOUR("full: a late hour of a folded day"),
        /** The data grew too much since the basis for its parents to stand for it. */
        FULL_DATA_GREW("full: the impressions applied since the last full stage exceed rank.results-refresh-share "
                + "of what it saw");

        private final String why;

        Mode(String why) {
            this.why = why;
        }

        /** One phrase for the log and the run's summary. */
        public String why() {
            return why;
        }

        public boolean incremental() {
            return this == INCREMENTAL;
        }
    }

    /**
     * How an hourly run computes its results.
     *
     * @param incrementalConfigured {@code rank.hourly-results = incremental}
     * @param basis                 the stored basis, or null when none is complete
     * @param fingerprint           the fingerprint of the run's settings
     * @param openDay               the hour's day is open (not a late hour of a folded day)
     * @param refreshShare          {@code rank.results-refresh-share}: the full stage runs again at the first hour
     *                              after the impressions applied since the basis exceed this share of the
     *                              impressions the basis saw (1 = once the data more than doubled), &gt; 0. The hour's
     *                              own impressions are not known before it is written, so they count from the next
     *                              hour on.
     */
    public static Mode decide(boolean incrementalConfigured, ResultsBasis basis, String fingerprint, boolean openDay,
            double refreshShare) {
        if (!(refreshShare > 0)) {
            throw new IllegalArgumentException("rank.results-refresh-share must be > 0, got " + refreshShare);
        }
        if (!incrementalConfigured) {
            return Mode.FULL_CONFIGURED;
        }
        if (!openDay) {
            return Mode.FULL_LATE_HOUR;
        }
        if (basis == null) {
            return Mode.FULL_NO_BASIS;
        }
        if (!basis.fingerprint().equals(fingerprint)) {
            return Mode.FULL_SETTINGS_CHANGED;
        }
        // exact in doubles for any realistic count (< 2^53 impressions)
        return basis.impressionsSince() > refreshShare * basis.impressions() ? Mode.FULL_DATA_GREW : Mode.INCREMENTAL;
    }

    /** The basis after an incremental hour (or its re-run, which replaces its entry) of {@code hourImpressions}. */
    public ResultsBasis plus(String hourId, long hourImpressions) {
        java.util.SortedMap<String, Long> hours = new java.util.TreeMap<>(hoursSince);
        hours.put(hourId, hourImpressions);
        return new ResultsBasis(version, fingerprint, impressions, hours);
    }
}
