package io.github.redisessync.tools.bench;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.embedded.EmbeddedElasticsearchNode;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.job.RedisToElasticsearchJob;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.cli.JobOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench sync}: the full sync of N hashes against the search server's own ceiling, in one run
 * on the same servers. (a) the raw {@code _bulk} ceiling: the same documents as prebuilt bodies
 * over two connections, after a warm-up; (b) the seed's way: one index request per record, on a
 * sample; (c) this project's job, snapshot only, in a MiniCluster in this JVM, with its CPU seconds
 * (this process's, while the job runs: the servers are processes of their own) and its peak heap.
 */
@Command(
        name = "sync",
        mixinStandardHelpOptions = true,
        description =
                "Documents/s of a full sync against the search server's raw _bulk ceiling and"
                        + " one index request per record, in one run on the same servers; with"
                        + " the job's CPU time per document and peak heap.")
public class SyncBenchmark implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--redis", description = "Redis URL; default: an embedded Redis.")
    String redisUri;

    @Option(names = "--es", description = "Search server URL; default: an embedded one.")
    String esUrl;

    @Option(
            names = "--keys",
            defaultValue = "1000000",
            description = "Hashes loaded (${DEFAULT-VALUE}).")
    int keys;

    @Option(
            names = "--fields",
            defaultValue = "10",
            description = "Fields per hash (${DEFAULT-VALUE}).")
    int fields;

    @Option(
            names = "--seed-sample",
            defaultValue = "2000",
            description = "Documents written one request each for (b) (${DEFAULT-VALUE}).")
    int seedSample;

    @Option(
            names = "--parallelism",
            defaultValue = "2",
            description = "Parallelism of the job (${DEFAULT-VALUE}).")
    int parallelism;

    @Option(
            names = "--set",
            paramLabel = "PATH=VALUE",
            description = "A setting of the job's configuration, as for sync; repeatable.")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (keys <= 0 || fields <= 0 || seedSample <= 0 || parallelism <= 0) {
            throw new IllegalArgumentException(
                    "--keys, --fields, --seed-sample and --parallelism must be positive.");
        }
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedRedisServer embeddedRedis = redisUri == null ? EmbeddedRedisServer.start() : null;
        EmbeddedElasticsearchNode embeddedEs =
                esUrl == null ? EmbeddedElasticsearchNode.start() : null;
        String redis = embeddedRedis != null ? embeddedRedis.uri() : redisUri;
        String es = embeddedEs != null ? embeddedEs.url() : esUrl;
        // Keys and indexes of this run only, removed at the end: a user's servers keep theirs.
        String run = "redis-es-sync-bench-" + UUID.randomUUID().toString().substring(0, 8);
        SearchServerBaselines search = new SearchServerBaselines(es);
        RedisClient client = RedisClients.create(redis);
        try (StatefulRedisConnection<String, String> connection =
                client.connect(StringCodec.UTF8)) {
            out.printf(
                    "Loading %d hashes of %d fields under %s:* into %s Redis; %s search server at"
                            + " %s%n",
                    keys,
                    fields,
                    run,
                    embeddedRedis != null ? "an embedded" : "the given",
                    embeddedEs != null ? "an embedded" : "the given",
                    es);
            out.flush();
            load(connection, run);
            List<String> ids = new Ids(keys);
            List<String> sources = new Sources(keys, fields);

            search.bulkCeiling(run + "-warmup", ids.subList(0, Math.min(keys, 50_000)), sources);
            search.deleteIndex(run + "-warmup");
            double ceiling = search.bulkCeiling(run + "-raw", ids, sources);
            out.printf("(a) raw _bulk ceiling: %.0f docs/s%n", ceiling);
            out.flush();
            int sample = Math.min(seedSample, keys);
            double seed =
                    search.oneRequestPerRecord(
                            run + "-seed", ids.subList(0, sample), sources.subList(0, sample));
            out.printf(
                    "(b) one index request per record: %.0f docs/s (%d documents)%n", seed, sample);
            out.flush();

            JobRun job = runJob(redis, es, run);
            long written = search.count(run + "-sync");
            if (written != keys) {
                throw new IllegalStateException(
                        "The job wrote " + written + " documents for " + keys + " keys.");
            }
            double synced = keys / job.seconds();
            out.printf(
                    "(c) this project's full sync: %.0f docs/s (%.1f s, MiniCluster start-up"
                            + " included)%n",
                    synced, job.seconds());
            out.printf(
                    "%nbench sync: %d hashes of %d fields, %d cores, parallelism %d%n"
                            + "  (a) raw _bulk ceiling           %8.0f docs/s%n"
                            + "  (b) one request per record      %8.0f docs/s%n"
                            + "  (c) full sync                   %8.0f docs/s%n"
                            + "  (c)/(a) %.2f   (c)/(b) %.1f%n"
                            + "  job CPU %.1f us per document (%.1f CPU-s), peak heap %d MB%n",
                    keys,
                    fields,
                    Runtime.getRuntime().availableProcessors(),
                    parallelism,
                    ceiling,
                    seed,
                    synced,
                    synced / ceiling,
                    synced / seed,
                    job.cpuSeconds() * 1e6 / keys,
                    job.cpuSeconds(),
                    job.peakHeapBytes() >> 20);
            out.flush();
            for (String suffix : List.of("-raw", "-seed", "-sync")) {
                search.deleteIndex(run + suffix);
            }
            BenchRedis.forEachKey(keys, i -> connection.async().unlink(run + ":" + i));
            return 0;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            if (embeddedEs != null) {
                embeddedEs.close();
            }
            if (embeddedRedis != null) {
                embeddedRedis.close();
            }
        }
    }

    /** The job's configuration chain, as {@code sync} builds it, for this run's keys and index. */
    @Command
    static final class JobArguments {
        @Mixin JobOptions job;
    }

    private JobRun runJob(String redis, String es, String run) throws Exception {
        List<String> args = new ArrayList<>(List.of("--index", run + ":*=" + run + "-sync"));
        args.addAll(List.of("--tail", "none"));
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        JobArguments parsed =
                CommandLine.populateCommand(new JobArguments(), args.toArray(new String[0]));
        SyncJobSetup setup = parsed.job.toSettings(redis, es);
        SyncJobFactory.prepareIndexes(setup);
        RedisToElasticsearchJob job = SyncJobFactory.create(setup);
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        job.addTo(env);

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        HeapWatch heap = new HeapWatch();
        heap.start();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        try {
            env.execute("bench sync");
        } finally {
            heap.interrupt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        heap.join();
        return new JobRun(seconds, cpuSeconds, heap.peak.get());
    }

    private void load(StatefulRedisConnection<String, String> connection, String run) {
        BenchRedis.forEachKey(
                keys,
                i -> {
                    Map<String, String> hash = new LinkedHashMap<>();
                    for (int f = 0; f < fields; f++) {
                        hash.put("field" + f, Sources.value(i, f));
                    }
                    return connection.async().hset(run + ":" + i, hash);
                });
    }

    private record JobRun(double seconds, double cpuSeconds, long peakHeapBytes) {}

    /** The greatest heap in use, sampled every 50 ms while the job runs. */
    private static final class HeapWatch extends Thread {
        final AtomicLong peak = new AtomicLong();
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        HeapWatch() {
            super("bench-heap-watch");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The document ids of the keys: their numbers. */
    private static final class Ids extends AbstractList<String> {
        private final int size;

        Ids(int size) {
            this.size = size;
        }

        @Override
        public String get(int index) {
            return Integer.toString(index);
        }

        @Override
        public int size() {
            return size;
        }
    }

    /** The documents the job makes of the hashes (every field a string), made on demand. */
    private static final class Sources extends AbstractList<String> {
        private final int size;
        private final int fields;

        Sources(int size, int fields) {
            this.size = size;
            this.fields = fields;
        }

        static String value(int key, int field) {
            return "value " + field + " of benchmark hash " + key;
        }

        @Override
        public String get(int index) {
            StringBuilder json = new StringBuilder("{");
            for (int f = 0; f < fields; f++) {
                json.append(f == 0 ? "" : ",")
                        .append("\"field")
                        .append(f)
                        .append("\":\"")
                        .append(value(index, f))
                        .append('"');
            }
            return json.append('}').toString();
        }

        @Override
        public int size() {
            return size;
        }
    }
}
