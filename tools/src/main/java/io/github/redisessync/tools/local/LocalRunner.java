package io.github.redisessync.tools.local;

import io.github.redisessync.connector.elasticsearch.ElasticsearchIndexManager;
import io.github.redisessync.connector.elasticsearch.ElasticsearchRestClients;
import io.github.redisessync.connector.elasticsearch.SearchServerInfo;
import io.github.redisessync.connector.redis.source.RedisClients;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.embedded.EmbeddedElasticsearchNode;
import io.github.redisessync.embedded.EmbeddedRedisServer;
import io.github.redisessync.job.EndpointChecks;
import io.github.redisessync.job.SyncJobFactory;
import io.github.redisessync.job.SyncJobOptions;
import io.github.redisessync.job.SyncJobSetup;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.tools.client.RollupSource;
import io.github.redisessync.tools.report.RollupComparison;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the job in a Flink MiniCluster on this machine, with the Flink web UI, against the given
 * servers or embedded ones it starts and stops itself.
 */
public final class LocalRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);

    /** What {@code local} was asked to do. */
    public static final class Request {
        public String redisUri;
        public String elasticsearchUrl;
        public int demoUsers;

        /** Which data {@link #demoUsers} loads: {@code demo} or {@code shop}. */
        public String dataset = "demo";

        public boolean untilSynced;

        /** How long {@link #untilSynced} waits for the rollups to equal the live aggregation. */
        public Duration rollupTimeout = Duration.ofSeconds(60);

        public int webPort;
        public int parallelism = 2;

        /** Deletes the state directory's checkpoints first instead of resuming from them. */
        public boolean fresh;

        /** Where the default state directory is made ({@code .redis-es-sync/state/...}). */
        public Path workingDirectory = Path.of("");

        /** Builds the settings once the endpoints are known. */
        public BiFunction<String, String, SyncJobSetup> settings;
    }

    private final Request request;
    private final PrintWriter out;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    public LocalRunner(Request request, PrintWriter out) {
        this.request = request;
        this.out = out;
    }

    /** Runs to the end; returns the process exit code. */
    public int run() throws Exception {
        String redisUri = request.redisUri;
        String esUrl = request.elasticsearchUrl;
        // Embedded servers start empty each run: there is nothing to resume on them.
        boolean external = redisUri != null && esUrl != null;
        // Settings first: a bad option fails before any server is started or contacted.
        request.settings.apply(
                redisUri != null ? redisUri : "redis://127.0.0.1:6379",
                esUrl != null ? esUrl : "http://127.0.0.1:9200");
        if (redisUri != null) {
            EndpointChecks.parseRedisUri(redisUri);
        } else {
            EmbeddedRedisServer redis = EmbeddedRedisServer.start();
            started.push(redis);
            redisUri = redis.uri();
        }
        if (esUrl == null) {
            EmbeddedElasticsearchNode es = EmbeddedElasticsearchNode.start();
            started.push(es);
            esUrl = es.url();
        }
        String redisVersion = EndpointChecks.redisVersion(redisUri);
        SearchServerInfo searchServer = EndpointChecks.searchServer(esUrl);
        out.printf("Redis %s at %s%n", redisVersion, EndpointChecks.redact(redisUri));
        out.printf("%s at %s%n", searchServer, EndpointChecks.redact(esUrl));
        SyncJobSetup settings = request.settings.apply(redisUri, esUrl);
        // The settings' URL has the configured database folded in; demo data goes there.
        redisUri = settings.redisUri();
        boolean tailing =
                settings.source().get(RedisSourceOptions.TAIL_MODE) != RedisTailMode.NONE
                        && !settings.source().get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE);
        // Before the demo data: a state directory that cannot be used fails with nothing changed.
        LocalCheckpoints checkpoints =
                LocalCheckpoints.open(
                        settings,
                        external && tailing,
                        request.fresh,
                        request.workingDirectory,
                        out);
        started.push(checkpoints);

        if (request.demoUsers > 0 && checkpoints.resumes()) {
            // Loading it again would overwrite, unannounced to any tail, what changed since.
            out.printf(
                    "Not loading the demo data again: the run being resumed loaded it (--fresh"
                            + " starts over and loads it anew).%n");
        } else if (request.demoUsers > 0) {
            long t0 = System.nanoTime();
            long keys =
                    "shop".equals(request.dataset)
                            ? ShopDataset.load(redisUri, request.demoUsers)
                            : DemoDataset.load(redisUri, request.demoUsers);
            LOG.info("Loaded {} demo keys into Redis in {}", keys, seconds(System.nanoTime() - t0));
        }
        SyncJobFactory.prepareIndexes(settings);

        int webPort = request.webPort > 0 ? request.webPort : freePort();
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, webPort);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        // Accumulators reach the job client with heartbeats; progress lines need them often.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, Duration.ofSeconds(2));
        checkpoints.configure(conf);
        // The source's liveness gauges, for the progress line and the stall warning.
        LivenessGauges liveness = LivenessGauges.register(conf);
        started.push(liveness);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        env.setParallelism(request.parallelism);
        SyncJobFactory.configure(env, settings);
        // The job's checkpoint.dir would win over the MiniCluster's: this run's directory is ours.
        Configuration jobCheckpoints = new Configuration();
        checkpoints.configure(jobCheckpoints);
        env.configure(jobCheckpoints);
        SyncJobFactory.create(settings).addTo(env);

        long t0 = System.nanoTime();
        JobClient job;
        try {
            job = env.executeAsync("redis-es-sync local");
        } catch (Exception e) {
            throw checkpoints.restoreFailureOr(e);
        }
        out.printf("Flink web UI: http://localhost:%d (job %s)%n", webPort, job.getJobID());
        if (tailing) {
            out.printf(
                    "Syncing the snapshot, then every change (tail: %s); press Ctrl-C to stop.%n",
                    describeTail(settings));
            // The job never ends by itself: cancel it when the JVM is asked to stop.
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(() -> stop(job, t0), "cancel-local-job"));
        }
        out.flush();
        JobExecutionResult result;
        // A bounded run's tail and readers end by design (--until-synced): no stall then.
        StallCheck stalls =
                new StallCheck(settings.job().get(SyncJobOptions.CHECKPOINT_INTERVAL), tailing, t0);
        // A stream tail resumed from a checkpoint reads only what changed: no share of DBSIZE.
        long estimate =
                checkpoints.resumes()
                                && settings.source().get(RedisSourceOptions.TAIL_MODE)
                                        == RedisTailMode.STREAM
                        ? 0
                        : databaseSize(redisUri);
        try (ProgressReporter progress =
                new ProgressReporter(job, Duration.ofSeconds(2), estimate, liveness, stalls)) {
            result = job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
            throw checkpoints.restoreFailureOr(e);
        }
        long elapsed = System.nanoTime() - t0;
        int exit = summarize(settings, result.getAllAccumulatorResults(), elapsed);
        if (request.untilSynced && !awaitRollups(settings)) {
            exit = 1;
        }
        out.flush();
        if (request.untilSynced || tailing) {
            return exit;
        }
        out.println(
                "The snapshot is synced (--tail none: changes are not followed); the servers"
                        + " stay up until you press Ctrl-C.");
        out.flush();
        awaitInterrupt();
        return exit;
    }

    /**
     * Ctrl-C on a tailing run: what it did, read from the running job, then the cancel. The JVM
     * exits once its shutdown hooks end, before the main thread could print a summary. A job that
     * failed has taken its MiniCluster down already: nothing to count or cancel, and no stack trace
     * after the error the user has been shown.
     */
    private void stop(JobClient job, long t0) {
        try {
            Map<String, Object> acc = job.getAccumulators().get(5, TimeUnit.SECONDS);
            out.printf(
                    "Stopped after %s: %d keys read, documents %s, %d dead letters.%n",
                    seconds(System.nanoTime() - t0),
                    ProgressReporter.asLong(acc.get(RecordMappingFunction.KEYS_READ)),
                    ProgressReporter.documents(acc),
                    ProgressReporter.asLong(acc.get(RecordMappingFunction.DEAD_LETTER_COUNT)));
            out.flush();
        } catch (Exception notRunning) {
            // the job has ended, or does not answer in time: the cancel below says the rest
        }
        try {
            job.cancel();
        } catch (IllegalStateException miniClusterDown) {
            // the job has ended
        }
    }

    private int summarize(SyncJobSetup settings, Map<String, Object> acc, long elapsedNanos)
            throws IOException {
        long keys = ProgressReporter.asLong(acc.get(RecordMappingFunction.KEYS_READ));
        long dead = ProgressReporter.asLong(acc.get(RecordMappingFunction.DEAD_LETTER_COUNT));
        int exit = 0;
        try (ElasticsearchIndexManager indexes =
                ElasticsearchIndexManager.create(
                        settings.elasticsearchUrl(), Duration.ofSeconds(5))) {
            for (IndexRule rule : settings.rules()) {
                long written =
                        ProgressReporter.asLong(
                                acc.get(RecordMappingFunction.DOCUMENTS_PREFIX + rule.index()));
                indexes.refresh(rule.index());
                long searchable = indexes.count(rule.index());
                out.printf(
                        "synced %d documents into %s in %s (%d searchable)%n",
                        written, rule.index(), seconds(elapsedNanos), searchable);
                if (searchable < written) {
                    out.printf(
                            "ERROR: %s holds %d documents, fewer than the %d written.%n",
                            rule.index(), searchable, written);
                    exit = 1;
                }
            }
        }
        out.printf(
                "%d keys read, %d dead letters, %.0f keys/s%n",
                keys, dead, keys / Math.max(1e-9, elapsedNanos / 1e9));
        acc.forEach(
                (name, value) -> {
                    long count = ProgressReporter.asLong(value);
                    if (name.startsWith(RecordMappingFunction.DEAD_LETTERS_PREFIX) && count > 0) {
                        out.printf(
                                "  %d dead letters: %s%n",
                                count,
                                name.substring(RecordMappingFunction.DEAD_LETTERS_PREFIX.length()));
                    }
                });
        if (dead > 0) {
            out.printf(
                    "ERROR: %d keys could not become documents; the log names each key and why.%n",
                    dead);
            exit = 1;
        }
        return exit;
    }

    /**
     * Waits until the rollup documents equal the live aggregation, so that {@code report --compare}
     * right after agrees; true when they do (or there are no rollups).
     */
    private boolean awaitRollups(SyncJobSetup settings) throws IOException, InterruptedException {
        if (settings.rollups().isEmpty()) {
            return true;
        }
        try (RestClient client =
                ElasticsearchRestClients.create(
                        settings.elasticsearchUrl(),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(60))) {
            RollupSource source = new RollupSource(client);
            return new RollupSyncWait(
                            settings.rollups(),
                            rollup ->
                                    RollupComparison.compare(
                                            source, rollup, settings.sourceIndexOf(rollup)),
                            request.rollupTimeout,
                            Duration.ofSeconds(1))
                    .await(out);
        }
    }

    private static String describeTail(SyncJobSetup settings) {
        switch (settings.source().get(RedisSourceOptions.TAIL_MODE)) {
            case KEYSPACE:
                return "keyspace notifications";
            case STREAM:
                return "stream " + settings.source().get(RedisSourceOptions.TAIL_STREAM);
            default:
                return "channel " + settings.source().get(RedisSourceOptions.TAIL_CHANNEL);
        }
    }

    /** DBSIZE, the snapshot's estimated total (keys of other patterns included); 0 if unknown. */
    private static long databaseSize(String redisUri) {
        RedisClient client = RedisClients.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().dbsize();
        } catch (RuntimeException e) {
            LOG.debug("DBSIZE failed; progress without an estimate: {}", e.toString());
            return 0;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static void awaitInterrupt() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(interrupted::countDown));
        interrupted.await();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    /** Stops the servers this run started, newest first. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                LOG.warn("Stopping an embedded server failed: {}", e.toString());
            }
        }
    }
}
