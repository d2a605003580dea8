package io.github.redisessync.tools.bench;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSource;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench snapshot}: keys per second the {@link RedisSource} reads in a snapshot (records
 * dropped by a no-op sink, no Elasticsearch), against a plain Lettuce loop doing the least any
 * snapshot must do (SCAN, then pipelined HGETALL with the same COUNT and batch), in alternating
 * rounds of the same run, with medians and their ratio.
 *
 * <p>The source's rate is timed from its first record to its last, so job start-up is not in it
 * (reported apart); the baseline is timed from its first SCAN to its last reply. The source does
 * more per key than the baseline on purpose: type, value, TTL and server time in one atomic Lua
 * call, which is what makes its versions right.
 */
@Command(
        name = "snapshot",
        mixinStandardHelpOptions = true,
        description =
                "Keys/s read by the Redis source alone (no Elasticsearch) versus a plain SCAN +"
                        + " pipelined HGETALL loop, median of several rounds.")
public class SnapshotBenchmark implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
            names = "--redis",
            description = "Redis URL; default: an embedded Redis started for the run.")
    String redisUri;

    @Option(
            names = "--keys",
            defaultValue = "200000",
            description = "Hashes loaded (${DEFAULT-VALUE}).")
    int keys;

    @Option(
            names = "--fields",
            defaultValue = "5",
            description = "Fields per hash (${DEFAULT-VALUE}).")
    int fields;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description = "Rounds of each (${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--scan-count",
            defaultValue = "1000",
            description = "SCAN COUNT (${DEFAULT-VALUE}).")
    int scanCount;

    @Option(
            names = "--read-batch-size",
            defaultValue = "500",
            description = "Keys per pipelined round trip (${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (keys <= 0 || fields <= 0 || rounds <= 0 || scanCount <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException(
                    "--keys, --fields, --rounds, --scan-count and --read-batch-size must be"
                            + " positive.");
        }
        PrintWriter out = spec.commandLine().getOut();
        EmbeddedRedisServer embedded = redisUri == null ? EmbeddedRedisServer.start() : null;
        String uri = embedded != null ? embedded.uri() : redisUri;
        // Our own prefix, removed at the end, so a real Redis keeps only its own keys.
        String prefix = "redis-es-sync-bench-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        RedisClient client = RedisClients.create(uri);
        try (StatefulRedisConnection<byte[], byte[]> connection =
                client.connect(ByteArrayCodec.INSTANCE)) {
            out.printf(
                    "Loading %d hashes of %d fields under %s* (%s Redis)%n",
                    keys, fields, prefix, embedded != null ? "embedded" : "given");
            out.flush();
            load(connection, prefix);
            List<Double> source = new ArrayList<>();
            List<Double> baseline = new ArrayList<>();
            List<Double> jobs = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                double[] sourceRates = runSource(uri, prefix);
                double baselineRate = runBaseline(connection, prefix);
                source.add(sourceRates[0]);
                jobs.add(sourceRates[1]);
                baseline.add(baselineRate);
                out.printf(
                        "round %d: source %.0f keys/s (%.0f with job start-up), baseline %.0f"
                                + " keys/s%n",
                        round, sourceRates[0], sourceRates[1], baselineRate);
                out.flush();
            }
            double sourceMedian = median(source);
            double baselineMedian = median(baseline);
            out.printf(
                    "median over %d rounds, %d keys, SCAN COUNT %d, batch %d, %d cores:%n"
                            + "  source   %.0f keys/s (%.0f keys/s with job start-up)%n"
                            + "  baseline %.0f keys/s (SCAN + pipelined HGETALL)%n"
                            + "  ratio    %.2f (source / baseline)%n",
                    rounds,
                    keys,
                    scanCount,
                    batchSize,
                    Runtime.getRuntime().availableProcessors(),
                    sourceMedian,
                    median(jobs),
                    baselineMedian,
                    sourceMedian / baselineMedian);
            out.flush();
            delete(connection, prefix);
            return 0;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** One bounded run of the source: {keys/s from first to last record, keys/s of the job}. */
    private double[] runSource(String uri, String prefix) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, conf);
        RedisSource source =
                RedisSource.builder()
                        .setRedisUri(uri)
                        .setKeyPatterns(List.of(prefix + "*"))
                        .setScanCount(scanCount)
                        .setReadBatchSize(batchSize)
                        .setTailMode(RedisTailMode.NONE)
                        .build();
        String run = UUID.randomUUID().toString();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis-source")
                .sinkTo(new TimingSink(run))
                .name("discard");
        JobExecutionResult result = env.execute("bench snapshot");
        long[] timing = TimingSink.take(run);
        if (timing[0] != keys) {
            throw new IllegalStateException(
                    "The source emitted " + timing[0] + " records for " + keys + " keys.");
        }
        double seconds = Math.max(1e-9, (timing[2] - timing[1]) / 1e9);
        double jobSeconds = Math.max(1e-3, result.getNetRuntime() / 1e3);
        return new double[] {keys / seconds, keys / jobSeconds};
    }

    /** SCAN then pipelined HGETALL per batch, as a snapshot without versions would read. */
    private double runBaseline(StatefulRedisConnection<byte[], byte[]> connection, String prefix) {
        RedisAsyncCommands<byte[], byte[]> redis = connection.async();
        ScanArgs args = ScanArgs.Builder.matches(prefix + "*").limit(scanCount);
        long start = System.nanoTime();
        long read = 0;
        List<byte[]> pending = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<byte[]> page = await(redis.scan(cursor, args));
            pending.addAll(page.getKeys());
            while (pending.size() >= batchSize) {
                read += readBatch(connection, pending.subList(0, batchSize));
                pending.subList(0, batchSize).clear();
            }
            cursor = page;
        } while (!cursor.isFinished());
        read += readBatch(connection, pending);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (read != keys) {
            throw new IllegalStateException("The baseline read " + read + " hashes for " + keys);
        }
        return keys / seconds;
    }

    private static int readBatch(
            StatefulRedisConnection<byte[], byte[]> connection, List<byte[]> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<RedisFuture<Map<byte[], byte[]>>> replies = new ArrayList<>(batch.size());
        connection.setAutoFlushCommands(false);
        try {
            for (byte[] key : batch) {
                replies.add(connection.async().hgetall(key));
            }
            connection.flushCommands();
        } finally {
            connection.setAutoFlushCommands(true);
        }
        int read = 0;
        for (RedisFuture<Map<byte[], byte[]>> reply : replies) {
            read += await(reply).isEmpty() ? 0 : 1;
        }
        return read;
    }

    private void load(StatefulRedisConnection<byte[], byte[]> connection, String prefix) {
        Map<byte[], byte[]> hash = new HashMap<>();
        for (int f = 0; f < fields; f++) {
            hash.put(bytes("field" + f), bytes("value of field " + f + " of a benchmark hash"));
        }
        BenchRedis.forEachKey(keys, i -> connection.async().hset(bytes(prefix + i), hash));
    }

    private void delete(StatefulRedisConnection<byte[], byte[]> connection, String prefix) {
        BenchRedis.forEachKey(keys, i -> connection.async().unlink(bytes(prefix + i)));
    }

    private static <T> T await(RedisFuture<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException("Redis refused a benchmark command: " + e, e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** Drops records; remembers, in this JVM, their count and the first and last arrival. */
    static final class TimingSink implements Sink<RedisRecord> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, long[]> RUNS = new ConcurrentHashMap<>();

        private final String run;

        TimingSink(String run) {
            this.run = run;
        }

        /** {records, first nanos, last nanos} of a finished run. */
        static long[] take(String run) {
            long[] timing = RUNS.remove(run);
            return timing == null ? new long[3] : Arrays.copyOf(timing, 3);
        }

        @Override
        @Deprecated
        public SinkWriter<RedisRecord> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<RedisRecord> createWriter(WriterInitContext context) {
            return writer();
        }

        private SinkWriter<RedisRecord> writer() {
            long[] timing = RUNS.computeIfAbsent(run, r -> new long[3]);
            return new SinkWriter<>() {
                @Override
                public void write(RedisRecord record, Context context) {
                    long now = System.nanoTime();
                    if (timing[0]++ == 0) {
                        timing[1] = now;
                    }
                    timing[2] = now;
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
