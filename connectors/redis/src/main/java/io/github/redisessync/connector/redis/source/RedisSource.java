package io.github.redisessync.connector.redis.source;

import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumState;
import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumStateSerializer;
import io.github.redisessync.connector.redis.source.enumerator.RedisSourceEnumerator;
import io.github.redisessync.connector.redis.source.reader.RedisRecordEmitter;
import io.github.redisessync.connector.redis.source.reader.RedisSourceReader;
import io.github.redisessync.connector.redis.source.reader.RedisSplitReader;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSplitSerializer;
import io.lettuce.core.RedisURI;
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
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;

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
 *         .build();
 * DataStream<RedisRecord> records =
 *         env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis");
 * }</pre>
 *
 * <p>The source is bounded: it emits one {@link RedisRecord} per key SCAN returned (a key may come
 * twice; the later read has the higher version) and finishes. A restore resumes the SCAN from the
 * last checkpoint's cursor. The URI's password travels in the job graph (the readers need it) but
 * never in a split or checkpoint.
 *
 * <p>Metrics on each reader: {@code redisKeysScanned} and {@code redisRecordsEmitted}.
 */
public class RedisSource
        implements Source<RedisRecord, RedisSourceSplit, RedisSourceEnumState>,
                ResultTypeQueryable<RedisRecord> {

    private static final long serialVersionUID = 1L;

    private final Configuration config;

    RedisSource(Configuration config) {
        this.config = config;
    }

    public static RedisSourceBuilder builder() {
        return new RedisSourceBuilder();
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<RedisRecord, RedisSourceSplit> createReader(
            SourceReaderContext readerContext) {
        SourceReaderMetricGroup metrics = readerContext.metricGroup();
        RedisRecordEmitter emitter =
                new RedisRecordEmitter(
                        metrics.counter("redisKeysScanned"),
                        metrics.counter("redisRecordsEmitted"));
        Configuration readerConfig = new Configuration(config);
        return new RedisSourceReader(
                () -> new RedisSplitReader(readerConfig), emitter, readerConfig, readerContext);
    }

    @Override
    public SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> createEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> enumContext) {
        return new RedisSourceEnumerator(enumContext, getBoundedness(), initialSplits(), null);
    }

    @Override
    public SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> enumContext, RedisSourceEnumState checkpoint) {
        return new RedisSourceEnumerator(
                enumContext, getBoundedness(), initialSplits(), checkpoint);
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

    /** One scan split for the configured node and database (a Cluster gets one per master). */
    List<RedisScanSplit> initialSplits() {
        RedisURI uri = RedisUris.parse(config.get(RedisSourceOptions.URI));
        return List.of(
                RedisScanSplit.initial(
                        uri.getHost() + ":" + uri.getPort(),
                        config.get(RedisSourceOptions.DATABASE),
                        config.get(RedisSourceOptions.SCAN_KEY_PATTERNS)));
    }

    /** The settings, for tests; includes the URI with its password. */
    Configuration configuration() {
        return new Configuration(config);
    }
}
