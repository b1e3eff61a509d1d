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
 * after a warm-up, p50/p99 over all of them. Modes: {@code uncached} (a reader whose cache
 * ttl is 0, so every lookup reads the member over loopback), {@code batch100-uncached} (one
 * {@link RankReader#lookupAll} of an ad server's 100 candidates per request, ttl 0: each request
 * is timed as a whole), {@code cached} (the default 1 h ttl, measured after every sampled key was
 * looked up once), and {@code batch100-uncached-no-near-cache} (the same requests through a reader
 * that reads every parent from the member: no near cache in front of the parents maps and no local
 * copy of them, {@code reader.parents-near-cache-entries = 0}, {@code reader.parents-local-max-entries = 0}).
 * The other modes use the reader's defaults for parents (a version's parents map of at most
 * {@code reader.parents-local-max-entries} is held whole in the reader, loaded at the first miss).
 * Both batch modes run the same warm-up requests first, so a near cache is as warm as on a running ad
 * server. Prints {@code RESULT} lines.
 *
 * <p>A batch's candidates are what an ad server asks in one context: the context (geo, device, os,
 * browser, connection) of one key drawn by traffic share and the ads of 100 keys drawn the same way,
 * so most candidates are keys the snapshot does not hold and are answered by a parent, as for new
 * or rare ads in production.
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
        ReaderConfig uncached = base.withCacheTtl(Duration.ZERO);
        ReaderConfig noNearCache = uncached.withParents(0, 0);
        // requests of 100 candidates: as many candidate lookups as the single uncached run does, and at
        // least 250 requests a thread, so that the p99 is not one of a handful of slowest requests
        int perThreadRequests = Math.max(250, lookups / threads / 5 / BATCH);
        List<List<String>>[] requests = candidates(codec, keys, sampler, threads, perThreadRequests);
        // the requests with every parent read from the member,
        // then with it: run first, so that whatever the JVM and the member warm up favours the other
        try (RankReader reader = RankReader.connect(config.hazelcast(), noNearCache, config.key(), config.schema())) {
            runBatches("uncached-no-near-cache", reader, requests, Math.max(10, perThreadRequests / 10));
        }
        try (RankReader reader = RankReader.connect(config.hazelcast(), uncached, config.key(), config.schema())) {
            // every uncached lookup is a round trip to the member: a fifth of the lookups is plenty for p99
            String[][] fewer = new String[threads][];
            for (int t = 0; t < threads; t++) {
                fewer[t] = Arrays.copyOf(perThread[t], Math.max(1, perThread[t].length / 5));
            }
            run("uncached", reader, fewer, Math.min(20_000, lookups / 10));
            runBatches("uncached", reader, requests, Math.max(10, perThreadRequests / 10));
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

    /** Candidates per ad-server request in the batch mode. */
    private static final int BATCH = 100;

    @SuppressWarnings("unchecked")
    private static List<List<String>>[] candidates(ImpressionKey codec, List<String> keys,
            SharedStateDiscreteSampler sampler, int threads, int requests) {
        List<List<String>>[] perThread = new List[threads];
        for (int t = 0; t < threads; t++) {
            SharedStateDiscreteSampler s = sampler.withUniformRandomProvider(
                    RandomSource.XO_RO_SHI_RO_128_PP.create(500L + t));
            perThread[t] = new ArrayList<>();
            for (int r = 0; r < requests; r++) {
                List<String> context = codec.decode(keys.get(s.sample()));
                List<String> batch = new ArrayList<>(BATCH);
                for (int c = 0; c < BATCH; c++) {
                    List<String> components = new ArrayList<>(context);
                    components.set(0, codec.decode(keys.get(s.sample())).get(0));
                    batch.add(codec.encode(components));
                }
                perThread[t].add(batch);
            }
        }
        return perThread;
    }

    private static void runBatches(String mode, RankReader reader, List<List<String>>[] perThread, int warmUp)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            reader.lookupAll(perThread[0].get(i % perThread[0].size()), "warm-up");
        }
        ExecutorService pool = Executors.newFixedThreadPool(perThread.length);
        List<Future<long[]>> futures = new ArrayList<>();
        long[] found = new long[perThread.length];
        long[] fromParent = new long[perThread.length];
        long start = System.nanoTime();
        for (int t = 0; t < perThread.length; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                List<List<String>> requests = perThread[thread];
                long[] nanos = new long[requests.size()];
                for (int i = 0; i < nanos.length; i++) {
                    long t0 = System.nanoTime();
                    List<Lookup> answers = reader.lookupAll(requests.get(i), "unit-" + (i & 1023));
                    nanos[i] = System.nanoTime() - t0;
                    for (Lookup l : answers) {
                        found[thread] += l.found() ? 1 : 0;
                        fromParent[thread] += l.fromParent() ? 1 : 0;
                    }
                }
                return nanos;
            }));
        }
        long[] all = merged(futures);
        long wall = System.nanoTime() - start;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "RESULT lookup-batch%d-%s p50_us=%.2f p99_us=%.2f requests=%d "
                        + "candidates=%d threads=%d seconds=%.2f per_second=%.0f found=%d from_parent=%d%n", BATCH, mode,
                all[all.length / 2] / 1e3, all[(int) (all.length * 0.99)] / 1e3, all.length, all.length * BATCH,
                perThread.length, wall / 1e9, all.length / (wall / 1e9), Arrays.stream(found).sum(),
                Arrays.stream(fromParent).sum());
    }

    private static long[] merged(List<Future<long[]>> futures) throws Exception {
        long[] all = new long[0];
        for (Future<long[]> f : futures) {
            long[] part = f.get();
            long[] merged = Arrays.copyOf(all, all.length + part.length);
            System.arraycopy(part, 0, merged, all.length, part.length);
            all = merged;
        }
        Arrays.sort(all);
        return all;
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
        long[] all = merged(futures);
        long wall = System.nanoTime() - start;
        pool.shutdown();
        long hits = Arrays.stream(found).sum();
        System.out.printf(Locale.ROOT, "RESULT lookup-%s p50_us=%.2f p99_us=%.2f lookups=%d threads=%d seconds=%.2f "
                        + "per_second=%.0f found=%d%n", mode, all[all.length / 2] / 1e3,
                all[(int) (all.length * 0.99)] / 1e3, all.length, perThread.length, wall / 1e9,
                all.length / (wall / 1e9), hits);
    }
}
