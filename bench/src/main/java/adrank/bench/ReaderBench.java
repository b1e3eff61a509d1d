package adrank.bench;

import adrank.loaders.config.AdrankConfig;
import adrank.loaders.config.ReaderConfig;
import adrank.loaders.hazelcast.Lookup;
import adrank.loaders.hazelcast.RankReader;
import adrank.udfs.key.ImpressionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.AliasMethodDiscreteSampler;
import org.apache.commons.rng.sampling.distribution.SharedStateDiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Latency of {@link RankReader#lookup} as an ad server sees it: keys drawn by their true traffic
 * share (truth/keys.tsv), lookups from several threads, each timed with {@code System.nanoTime}
 * after a warm-up, p50/p99 over all of them. Two modes: {@code uncached} (a reader whose cache
 * ttl is 0, so every lookup reads the member over loopback) and {@code cached} (the default 1 h
 * ttl, measured after every sampled key was looked up once). Prints {@code RESULT} lines.
 *
 * <p>Usage: {@code ReaderBench <truth keys.tsv> <lookups> <threads> [-Dkey=value...]} with the
 * bench's Hazelcast/schema settings as {@code -D} JVM properties.
 */
public final class ReaderBench {

    private ReaderBench() {
    }

    public static void main(String[] args) throws Exception {
        Path truth = Path.of(args[0]);
        int lookups = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        AdrankConfig config = AdrankConfig.load("local", Map.of());
        ImpressionKey codec = new ImpressionKey(config.key().separator());
        List<String> keys = new ArrayList<>();
        List<Double> shares = new ArrayList<>();
        List<String> lines = Files.readAllLines(truth);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            keys.add(codec.encode(f[0], f[1], f[2], f[3], f[4], f[5]));
            shares.add(Double.parseDouble(f[6]));
        }
        double[] probabilities = shares.stream().mapToDouble(Double::doubleValue).toArray();
        SharedStateDiscreteSampler sampler = AliasMethodDiscreteSampler.of(RandomSource.XO_RO_SHI_RO_128_PP.create(7L),
                probabilities);
        String[][] perThread = new String[threads][lookups / threads];
        for (int t = 0; t < threads; t++) {
            UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(100L + t);
            SharedStateDiscreteSampler s = sampler.withUniformRandomProvider(rng);
            for (int i = 0; i < perThread[t].length; i++) {
                perThread[t][i] = keys.get(s.sample());
            }
        }
        ReaderConfig base = config.reader();
        ReaderConfig uncached = new ReaderConfig(Duration.ZERO, base.cacheMaxEntries(), base.readTimeout(),
                base.controlRefresh(), base.parentSegments());
        try (RankReader reader = RankReader.connect(config.hazelcast(), uncached, config.key(), config.schema())) {
            // every uncached lookup is a round trip to the member: a fifth of the lookups is plenty for p99
            String[][] fewer = new String[threads][];
            for (int t = 0; t < threads; t++) {
                fewer[t] = Arrays.copyOf(perThread[t], Math.max(1, perThread[t].length / 5));
            }
            run("uncached", reader, fewer, Math.min(20_000, lookups / 10));
        }
        try (RankReader reader = RankReader.connect(config.hazelcast(), base, config.key(), config.schema())) {
            for (String[] batch : perThread) {
                for (String key : batch) {
                    reader.lookup(key, "bench");
                }
            }
            run("cached", reader, perThread, Math.min(100_000, lookups / 10));
        }
    }

    private static void run(String mode, RankReader reader, String[][] perThread, int warmUp) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            reader.lookup(perThread[0][i % perThread[0].length], "warm-up");
        }
        ExecutorService pool = Executors.newFixedThreadPool(perThread.length);
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        long[] found = new long[perThread.length];
        for (int t = 0; t < perThread.length; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                String[] batch = perThread[thread];
                long[] nanos = new long[batch.length];
                for (int i = 0; i < batch.length; i++) {
                    long t0 = System.nanoTime();
                    Lookup lookup = reader.lookup(batch[i], "unit-" + (i & 1023));
                    nanos[i] = System.nanoTime() - t0;
                    if (lookup.found()) {
                        found[thread]++;
                    }
                }
                return nanos;
            }));
        }
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] part = f.get();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        long wall = System.nanoTime() - start;
        pool.shutdown();
        Arrays.sort(all);
        long hits = Arrays.stream(found).sum();
        System.out.printf(Locale.ROOT, "RESULT lookup-%s p50_us=%.2f p99_us=%.2f lookups=%d threads=%d seconds=%.2f "
                        + "per_second=%.0f found=%d%n", mode, all[all.length / 2] / 1e3,
                all[(int) (all.length * 0.99)] / 1e3, all.length, perThread.length, wall / 1e9,
                all.length / (wall / 1e9), hits);
    }
}
