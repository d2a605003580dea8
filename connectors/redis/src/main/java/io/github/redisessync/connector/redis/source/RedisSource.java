package io.github.redisessync.connector.redis.source;

import io.github.redisessync.connector.redis.client.RedisKeyspaceNotifications;
import io.github.redisessync.connector.redis.client.RedisTopology;
import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumState;
import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumStateSerializer;
import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumerator;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.reader.RedisRecordEmitter;
import io.github.redisessync.connector.redis.source.reader.RedisSourceReader;
import io.github.redisessync.connector.redis.source.reader.RedisSplitReader;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitSerializer;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * A FLIP-27 source that reads a snapshot of the keys of one Redis database that match some
 * patterns: a checkpointed SCAN, each key's value, type, TTL and server time read atomically.
 *
 * <pre>{@code
 * RedisSource source = RedisSource.builder()
 *         .setRedisUri("redis://:secret@localhost:6379/0")
 *         .setKeyPatterns(List.of("user:*", "order:*"))
 *         .setScanCount(1000)
 *         .setReadBatchSize(500)
 *         .setTailMode(RedisTailMode.KEYSPACE)
 *         .build();
 * DataStream<RedisRecord> records =
 *         env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis");
 * }</pre>
 *
 * <p>Without a tail the source is bounded: it emits one {@link RedisRecord} per key SCAN returned
 * (a key may come twice; the later read has the higher version) and finishes. A restore resumes the
 * SCAN from the last checkpoint's cursor. With a tail ({@code .setTailMode(RedisTailMode.KEYSPACE)}
 * or {@code CHANNEL}) it is unbounded: it subscribes before it scans, re-reads every key that
 * changes, during the scan and after it, and heals gaps in pub/sub with a rescan. Each rescan, and
 * the first scan of an unbounded source started without a checkpoint, ends with a {@link
 * RedisRecord#catchUpFinished catch-up marker}: a consumer that keeps copies sweeps those whose
 * keys are gone (deleted during the gap, or before this start). The URI's password travels in the
 * job graph (the readers need it) but never in a split or checkpoint.
 *
 * <p>Pointed at a node of a Redis Cluster, the source reads every primary: a scan split and a tail
 * split per primary (database 0, the only one a cluster has), each read on connections to its
 * primary with the URI's credentials and TLS, the primaries spread over the readers. Keyspace
 * notifications are per node, so each primary's tail subscribes on it ({@code
 * notify-keyspace-events} is checked, or set, on every primary). A channel message published on any
 * node reaches the subscribers of all nodes of the cluster, so one subscription would hear every
 * change; each primary's tail subscribes on its own primary all the same and keeps the keys of its
 * own slots, so that it re-reads them (and rescans after a gap) on its own node. A stream is one
 * key on one primary: each primary's tail reads it from there, at a position of its own, and keeps
 * the keys of its own slots likewise. Failovers and resharding are not followed yet.
 *
 * <p>Metrics on each reader: see {@link RedisSourceMetrics}. Each tail's pub/sub connection is
 * named {@link #tailClientName(String) redis-es-sync-tail-&lt;job id&gt;} ({@code CLIENT LIST}).
 */
public class RedisSource
        implements Source<RedisRecord, RedisSourceSplit, RedisSourceEnumState>,
                ResultTypeQueryable<RedisRecord> {

    private static final long serialVersionUID = 1L;

    /** The start of the client name of every tail's pub/sub connection. */
    public static final String TAIL_CLIENT_NAME = "redis-es-sync-tail";

    /** Flink's metric variable holding the job's id, the one id a reader can see. */
    private static final String JOB_ID_VARIABLE = "<job_id>";

    private final Configuration config;

    RedisSource(Configuration config) {
        this.config = config;
    }

    public static RedisSourceBuilder builder() {
        return new RedisSourceBuilder();
    }

    /**
     * The client name ({@code CLIENT SETNAME}) of the tail's pub/sub connections of the job {@code
     * jobId}: in {@code CLIENT LIST}, an operator (or a test) tells them from every other
     * subscriber of the server, and can kill exactly those ({@code CLIENT KILL ID}). Without a job
     * id (a reader outside a job), just {@value #TAIL_CLIENT_NAME}.
     */
    public static String tailClientName(String jobId) {
        return jobId == null || jobId.isEmpty() ? TAIL_CLIENT_NAME : TAIL_CLIENT_NAME + "-" + jobId;
    }

    @Override
    public Boundedness getBoundedness() {
        return config.get(RedisSourceOptions.TAIL_MODE) == RedisTailMode.NONE
                        || config.get(RedisSourceOptions.TAIL_STOP_WHEN_IDLE)
                ? Boundedness.BOUNDED
                : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<RedisRecord, RedisSourceSplit> createReader(
            SourceReaderContext readerContext) {
        RedisSourceMetrics metrics = new RedisSourceMetrics(readerContext.metricGroup());
        RedisRecordEmitter emitter =
                new RedisRecordEmitter(metrics.keysScanned(), metrics.recordsEmitted());
        Configuration readerConfig = new Configuration(config);
        String tailClientName =
                tailClientName(readerContext.metricGroup().getAllVariables().get(JOB_ID_VARIABLE));
        return new RedisSourceReader(
                () -> new RedisSplitReader(readerConfig, metrics, tailClientName),
                emitter,
                readerConfig,
                readerContext,
                metrics);
    }

    @Override
    public SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> createEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> enumContext) {
        return new RedisSourceEnumerator(
                enumContext, getBoundedness(), this::discoveredSplits, null, () -> {});
    }

    @Override
    public SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> enumContext, RedisSourceEnumState checkpoint) {
        return new RedisSourceEnumerator(
                enumContext, getBoundedness(), this::discoveredSplits, checkpoint, () -> {});
    }

    /**
     * The splits of the server's topology, asked when the enumerator starts, before it assigns any;
     * then the check that the keyspace tail can work ({@code notify-keyspace-events} on every
     * primary). A setting the server cannot serve (a cluster's database other than 0, a missing
     * notification flag) fails the job without restarts, as a restart cannot fix it: it fails
     * within seconds instead of restarting forever.
     */
    private List<RedisSourceSplit> discoveredSplits() {
        try {
            RedisTopology topology = RedisTopology.discover(config);
            List<RedisSourceSplit> splits = initialSplits(topology);
            if (config.get(RedisSourceOptions.TAIL_MODE) == RedisTailMode.KEYSPACE) {
                int database = config.get(RedisSourceOptions.DATABASE);
                for (RedisTopology.Primary primary : topology.primaries()) {
                    RedisKeyspaceNotifications.ensure(config, primary.address(), database);
                }
            }
            return splits;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new SuppressRestartsException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public SimpleVersionedSerializer<RedisSourceSplit> getSplitSerializer() {
        return new RedisSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<RedisSourceEnumState> getEnumeratorCheckpointSerializer() {
        return new RedisSourceEnumStateSerializer();
    }

    @Override
    public TypeInformation<RedisRecord> getProducedType() {
        return TypeInformation.of(RedisRecord.class);
    }

    /** The splits of a standalone server: those of the URI's node and the configured database. */
    List<RedisSourceSplit> initialSplits() {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        return initialSplits(List.of(uri.getHost() + ":" + uri.getPort()));
    }

    /**
     * One scan split per primary of {@code topology} (a standalone server is one), and with a tail,
     * a tail split per primary. Fails with {@link IllegalArgumentException} naming the setting that
     * a cluster cannot serve: a database other than 0.
     */
    List<RedisSourceSplit> initialSplits(RedisTopology topology) {
        if (topology.isCluster()) {
            int database = config.get(RedisSourceOptions.DATABASE);
            if (database != 0) {
                throw new IllegalArgumentException(
                        RedisSourceOptions.DATABASE.key()
                                + " must be 0 on a Redis Cluster, which has no other database, was "
                                + database
                                + ".");
            }
        }
        List<String> nodes = new ArrayList<>();
        topology.primaries().forEach(primary -> nodes.add(primary.address()));
        return initialSplits(nodes);
    }

    private List<RedisSourceSplit> initialSplits(List<String> nodes) {
        List<RedisSourceSplit> splits = new ArrayList<>();
        for (String node : nodes) {
            splits.addAll(nodeSplits(node));
        }
        return splits;
    }

    /** The scan split of {@code node} and, with a tail, its tail split. */
    private List<RedisSourceSplit> nodeSplits(String node) {
        int database = config.get(RedisSourceOptions.DATABASE);
        List<String> patterns = config.get(RedisSourceOptions.SCAN_KEY_PATTERNS);
        List<RedisSourceSplit> splits = new ArrayList<>();
        splits.add(RedisScanSplit.initial(node, database, patterns));
        RedisTailMode mode = config.get(RedisSourceOptions.TAIL_MODE);
        if (mode != RedisTailMode.NONE) {
            splits.add(
                    new RedisTailSplit(
                            node,
                            database,
                            mode,
                            mode == RedisTailMode.STREAM
                                    ? config.get(RedisSourceOptions.TAIL_STREAM)
                                    : config.get(RedisSourceOptions.TAIL_CHANNEL),
                            patterns,
                            false));
        }
        return splits;
    }

    /** The settings, for tests; includes the URI with its password. */
    Configuration configuration() {
        return new Configuration(config);
    }
}
