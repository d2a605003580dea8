package io.github.redisessync.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.job.SearchClient;
import io.github.redisessync.job.testing.Await;
import io.github.redisessync.testing.TestServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault case's job: the demo configuration (its mappings and both rollups, checkpoints every
 * second) on indexes of its own, submitted as {@code sync} to the standalone cluster; the probes a
 * case asks the cluster's REST API, and the common ending: Elasticsearch equal to Redis and the
 * rollups to the aggregation within {@link #CONVERGENCE} of the last write, checkpoints completing
 * after the fault, the figures logged.
 */
final class FaultRun implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultRun.class);
    static final Duration CONVERGENCE = Duration.ofSeconds(90);

    final String name;
    final FaultData data;
    final String redisUri;
    final String jobId;
    final SyncOracle oracle;
    final String users;
    private final StandaloneFlinkCluster cluster;

    private FaultRun(
            String name,
            FaultData data,
            String redisUri,
            String jobId,
            SyncOracle oracle,
            String users,
            StandaloneFlinkCluster cluster) {
        this.name = name;
        this.data = data;
        this.redisUri = redisUri;
        this.jobId = jobId;
        this.oracle = oracle;
        this.users = users;
        this.cluster = cluster;
    }

    /**
     * Loads {@code data} into Redis, submits the job and waits until its tasks run; {@code
     * maxKeysPerSecond} caps the snapshot's scan (0: no cap) so that a case can act in its middle.
     */
    static FaultRun submit(
            String name,
            StandaloneFlinkCluster cluster,
            String jarId,
            Path directory,
            String redisUri,
            String esUrl,
            FaultData data,
            int maxKeysPerSecond)
            throws Exception {
        return submit(
                name, cluster, jarId, directory, redisUri, esUrl, data, maxKeysPerSecond, null);
    }

    /**
     * As {@link #submit(String, StandaloneFlinkCluster, String, Path, String, String, FaultData,
     * int)}, the job tailing {@code stream} ({@code tail: stream}) instead of keyspace
     * notifications when it is not null.
     */
    static FaultRun submit(
            String name,
            StandaloneFlinkCluster cluster,
            String jarId,
            Path directory,
            String redisUri,
            String esUrl,
            FaultData data,
            int maxKeysPerSecond,
            String stream)
            throws Exception {
        String users = TestServices.uniqueName("users");
        String orders = TestServices.uniqueName("orders");
        String userRollups = TestServices.uniqueName("rollup-users");
        String orderRollups = TestServices.uniqueName("rollup-orders");
        // The demo's own mapping files, under the names of this case's indexes.
        Path demo = Paths.get("").toAbsolutePath().getParent().resolve("conf/mappings");
        Path mappings = Files.createDirectories(directory.resolve("mappings"));
        Files.copy(demo.resolve("users.json"), mappings.resolve(users + ".json"));
        Files.copy(demo.resolve("orders.json"), mappings.resolve(orders + ".json"));
        Path config = directory.resolve("job.yaml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "redis: {url: '" + redisUri + "'}",
                        "elasticsearch: {url: '" + esUrl + "', mappings-dir: '" + mappings + "'}",
                        "source:",
                        stream == null
                                ? "  tail: keyspace"
                                : "  tail: stream\n  stream: '" + stream + "'",
                        "  scan-count: 1000",
                        "  read-batch-size: 500",
                        "  max-keys-per-second: " + maxKeysPerSecond,
                        "mappings:",
                        "  - {pattern: '" + data.userPattern() + "', index: " + users + "}",
                        "  - {pattern: '" + data.orderPattern() + "', index: " + orders + "}",
                        "rollups:",
                        "  - name: users_by_city",
                        "    source-index: " + users,
                        "    target-index: " + userRollups,
                        "    group-by: [city]",
                        "    metrics: [count, avg(age)]",
                        "  - name: orders_per_minute",
                        "    source-index: " + orders,
                        "    target-index: " + orderRollups,
                        "    time-field: created_at",
                        "    window: 1min",
                        "    group-by: [status]",
                        "    metrics: [count, sum(amount)]",
                        "    allowed-lateness: 10min",
                        "checkpoint: {interval: 1s}",
                        ""));
        data.load(redisUri);
        String jobId =
                cluster.run(
                        jarId,
                        "io.github.redisessync.job.cli.JobJarCommand",
                        List.of("sync", "--config", config.toString()));
        SearchClient es = new SearchClient(esUrl);
        SyncOracle oracle =
                new SyncOracle(
                                redisUri,
                                es,
                                new RollupOracle(es, users, orders, userRollups, orderRollups))
                        .index(data.userKey(""), users)
                        .index(data.orderKey(""), orders);
        FaultRun run = new FaultRun(name, data, redisUri, jobId, oracle, users, cluster);
        // Deploying takes a while on a busy machine: the writer is to start with the snapshot.
        run.awaitRunning(Duration.ofMinutes(2));
        LOG.info("{}: job {} runs, on {} keys", name, jobId, data.users() + data.orders());
        return run;
    }

    /** Checkpoints completed so far, as {@code /jobs/<id>/checkpoints} counts them. */
    long completedCheckpoints() {
        return rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** Restarts of the job so far (the job's {@code numRestarts} metric). */
    long restarts() {
        JsonNode answer = rest("/jobs/" + jobId + "/metrics?get=numRestarts");
        return answer.path(0).path("value").asLong();
    }

    String state() {
        return rest("/jobs/" + jobId).path("state").asText();
    }

    /**
     * A metric of the source over its subtasks, as the web UI shows it: {@code agg} is {@code sum},
     * {@code min} or {@code max}; 0 while the source runs no subtask. Counters count the current
     * attempt only.
     */
    double sourceMetric(String metric, String agg) {
        for (JsonNode vertex : rest("/jobs/" + jobId).path("vertices")) {
            if (!vertex.path("name").asText().startsWith("Source")) {
                continue;
            }
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            for (JsonNode candidate : rest(path + "/subtasks/metrics")) {
                String id = candidate.path("id").asText();
                if (id.endsWith("." + metric)) {
                    return rest(path + "/subtasks/metrics?get=" + id + "&agg=" + agg)
                            .path(0)
                            .path(agg)
                            .asDouble();
                }
            }
        }
        return 0;
    }

    /** As {@link Await#until}, failing with the job's state and checkpoints in the message. */
    void await(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(name + ": " + what, timeout, Duration.ofMillis(200), condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnosis(), e);
        }
    }

    /** The job's state, restarts and checkpoints (the last ones with their acknowledgements). */
    String diagnosis() {
        try {
            StringBuilder text = new StringBuilder();
            text.append("job ").append(jobId).append(' ').append(state());
            text.append(", restarts ").append(restarts()).append(", checkpoints ");
            JsonNode checkpoints = rest("/jobs/" + jobId + "/checkpoints");
            text.append(checkpoints.path("counts"));
            int shown = 0;
            for (JsonNode checkpoint : checkpoints.path("history")) {
                if (shown++ == 3) {
                    break;
                }
                text.append(
                        String.format(
                                "%n  checkpoint %d %s, %d of %d subtasks acknowledged, %s",
                                checkpoint.path("id").asLong(),
                                checkpoint.path("status").asText(),
                                checkpoint.path("num_acknowledged_subtasks").asInt(),
                                checkpoint.path("num_subtasks").asInt(),
                                checkpoint.path("failure_message").asText("")));
            }
            return text.append("\n").append(cluster.logTails()).toString();
        } catch (RuntimeException e) {
            return "(no diagnosis: " + e + ")";
        }
    }

    /**
     * Waits until the source's scan is complete ({@code redisScanProgress} 1 on every subtask): the
     * snapshot is over. Keys scanned would not do: the writer deletes keys the scan has not
     * reached.
     */
    void awaitSnapshotScanned(Duration timeout) {
        await(
                "the snapshot scanned",
                timeout,
                () -> sourceMetric("redisScanProgress", "min") >= 1.0);
    }

    /**
     * The common ending, once the writer stopped: Elasticsearch equal to Redis and the rollups to
     * the aggregation within {@link #CONVERGENCE} of the last write; more checkpoints completed
     * than {@code checkpointsAtFault}; the figures logged and kept in {@code
     * target/fault-figures.txt}. Returns the nanoTime at which the oracle saw them equal.
     */
    long finish(WriterProcess.Result written, long checkpointsAtFault) throws Exception {
        Duration waited;
        try {
            waited = oracle.awaitEqual(CONVERGENCE);
        } catch (AssertionError e) {
            throw new AssertionError(name + ": " + e.getMessage() + "\n" + diagnosis(), e);
        }
        long equalAt = System.nanoTime();
        double converged = (equalAt - written.endNanos()) / 1e9;
        await(
                "checkpoints completing after the fault (" + checkpointsAtFault + ")",
                Duration.ofSeconds(60),
                () -> completedCheckpoints() >= checkpointsAtFault + 2);
        long checkpoints = completedCheckpoints();
        long restarts = restarts();
        String figures =
                String.format(
                        "%s: keys %d, changes written %d (refused %d), equal %.1f s after the last"
                                + " write (checked for %.1f s), job restarts %d, checkpoints %d"
                                + " at the fault, %d at the end",
                        name,
                        data.users() + data.orders(),
                        written.changes(),
                        written.failed(),
                        converged,
                        waited.toNanos() / 1e9,
                        restarts,
                        checkpointsAtFault,
                        checkpoints);
        LOG.info("FAULT FIGURES {}", figures);
        Files.writeString(
                Paths.get("target", "fault-figures.txt"),
                figures + "\n",
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        assertThat(state()).as(name + ": job state").isEqualTo("RUNNING");
        assertThat(checkpoints)
                .as(name + ": checkpoints after the fault")
                .isGreaterThan(checkpointsAtFault);
        return equalAt;
    }

    /** Polls the job until it runs (after a restart, its tasks deployed again). */
    void awaitRunning(Duration timeout) {
        await(
                "the job running again",
                timeout,
                () -> {
                    JsonNode job = rest("/jobs/" + jobId);
                    if (!"RUNNING".equals(job.path("state").asText())) {
                        return false;
                    }
                    for (JsonNode vertex : job.path("vertices")) {
                        if (!"RUNNING".equals(vertex.path("status").asText())) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private JsonNode rest(String path) {
        try {
            return cluster.get(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (!List.of("CANCELED", "FAILED", "FINISHED").contains(state())) {
                cluster.cancel(jobId);
                cluster.await(
                        "/jobs/" + jobId,
                        job -> job.path("state").asText().equals("CANCELED"),
                        Duration.ofSeconds(60));
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: could not cancel job {}", name, jobId, e);
        }
    }
}
