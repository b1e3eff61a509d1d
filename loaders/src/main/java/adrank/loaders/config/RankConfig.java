package adrank.loaders.config;

import adrank.udfs.rank.DriftPolicy;
import adrank.udfs.result.RankSettings;
import adrank.udfs.vpc.PriorGuard;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The rank and VPC math ({@code rank.*}, {@code vpc.*}).
 *
 * @param settings the parameters of the pure functions
 * @param parents  parent segments in fallback order, each a list of key dimensions; the global
 *                 segment {@code []} is always last
 * @param noiseSegment the segment whose keys share a noise model of their revenue (the key dimensions an
 *                 ad's billing follows), or null for the fixed prior strength ({@code rank.estimator = fixed})
 * @param parentsByAd  {@code rank.parents-join = by-ad}: the result stage aggregates an ad's own parent segments
 *                 where its keys are, and ships only the segments of many ads (and the ads a partition boundary
 *                 cuts) to every task; false ({@code broadcast}): every parent to every task
 * @param hourlyIncremental {@code rank.hourly-results = incremental}: an hourly run ranks the keys its hour touched
 *                 against the parents of the last full result stage (README "Incremental results")
 * @param refreshShare {@code rank.results-refresh-share}: an hourly run runs the full stage again once the
 *                 impressions applied since the last one exceed this share of what it saw
 */
public record RankConfig(RankSettings settings, List<List<String>> parents, List<String> noiseSegment,
        boolean parentsByAd, boolean hourlyIncremental, double refreshShare) implements Serializable {

    /**
     * A digest of every setting that shapes a key's rank (the math, the parent levels, the noise segment, the key
     * dimensions): incremental results rank against a full stage's parents only if it was computed with the same.
     * How parents are joined ({@code parents-join}) does not shape results (bit-identical either way).
     */
    public String resultsFingerprint(List<String> keyDimensions) {
        String text = settings + "|" + parents + "|" + noiseSegment + "|" + keyDimensions;
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Whether the rank's prior strength is estimated per key (empirical Bayes) rather than fixed. */
    public boolean empiricalBayes() {
        return noiseSegment != null;
    }

    static RankConfig from(Settings s, KeyConfig key) {
        List<List<String>> parents = new ArrayList<>();
        for (List<String> segment : s.stringLists("rank.parents")) {
            List<String> dims = new ArrayList<>();
            for (String dim : segment) {
                if (!key.dimensions().contains(dim)) {
                    throw new ConfigError("rank.parents: segment " + segment + " names '" + dim
                            + "', which is not one of key.dimensions " + key.dimensions());
                }
                dims.add(dim);
            }
            if (new java.util.HashSet<>(dims).size() != dims.size()) {
                throw new ConfigError("rank.parents: " + segment + " repeats a dimension");
            }
            if (dims.size() == key.dimensions().size()) {
                throw new ConfigError("rank.parents: " + segment
                        + " keeps every key dimension, so it is the key itself, not a parent");
            }
            if (parents.stream().anyMatch(p -> new java.util.HashSet<>(p).equals(new java.util.HashSet<>(dims)))) {
                throw new ConfigError("rank.parents lists " + segment + " twice");
            }
            parents.add(List.copyOf(dims));
        }
        if (parents.isEmpty() || !parents.get(parents.size() - 1).isEmpty()) {
            parents.add(List.of()); // the global average is always the last resort
        }
        try {
            RankSettings settings = new RankSettings(
                    s.doubleIn("rank.prior-strength", Double.MIN_VALUE, 1e15),
                    s.longIn("rank.parent-min-impressions", 0, Long.MAX_VALUE),
                    new DriftPolicy(s.doubleIn("rank.drift.z-threshold", Double.MIN_VALUE, 1e6),
                            s.doubleIn("rank.drift.weight-factor", 0, 1)),
                    s.doubleIn("vpc.forgetting", Double.MIN_VALUE, 1),
                    s.doubleIn("vpc.credible-level", 0.5, 0.9999),
                    new PriorGuard(s.doubleIn("vpc.prior-min-strength", 1, 1e12),
                            s.doubleIn("vpc.prior-max-strength", 1, 1e12)),
                    s.doubleIn("vpc.value-prior-strength", Double.MIN_VALUE, 1e12));
            List<String> noiseSegment = null;
            if (s.oneOf("rank.estimator", "empirical-bayes", "fixed").equals("empirical-bayes")) {
                noiseSegment = new ArrayList<>();
                for (String dim : s.stringList("rank.noise-segment")) {
                    if (!key.dimensions().contains(dim)) {
                        throw new ConfigError("rank.noise-segment names '" + dim + "', which is not one of key.dimensions "
                                + key.dimensions());
                    }
                    noiseSegment.add(dim);
                }
                noiseSegment = List.copyOf(noiseSegment);
            }
            boolean parentsByAd = s.oneOf("rank.parents-join", "by-ad", "broadcast").equals("by-ad");
            boolean incremental = s.oneOf("rank.hourly-results", "incremental", "full").equals("incremental");
            double refreshShare = s.doubleIn("rank.results-refresh-share", Double.MIN_VALUE, 1e6);
            return new RankConfig(settings, List.copyOf(parents), noiseSegment, parentsByAd, incremental,
                    refreshShare);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage(), e);
        }
    }
}
