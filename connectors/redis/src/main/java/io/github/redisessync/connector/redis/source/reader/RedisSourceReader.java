package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.metrics.RedisSourceMetrics;
import io.github.redisessync.connector.redis.source.split.RedisScanSplitState;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplitState;
import io.github.redisessync.connector.redis.source.split.RedisSplitKind;
import io.github.redisessync.connector.redis.source.split.RedisTailSplitState;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SourceReaderBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source reader: a fetcher thread per node runs a {@link RedisSplitReader} over the splits of
 * that node this subtask owns (the scan and tail splits of a node always share a fetcher; see
 * {@link RedisSplitFetcherManager}).
 */
public class RedisSourceReader
        extends SourceReaderBase<
                RedisSplitElement, RedisRecord, RedisSourceSplit, RedisSourceSplitState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceReader.class);

    private final RedisSourceMetrics metrics;

    public RedisSourceReader(
            Supplier<RedisSplitReader> splitReaderSupplier,
            RedisRecordEmitter recordEmitter,
            Configuration config,
            SourceReaderContext context,
            RedisSourceMetrics metrics) {
        super(
                new RedisSplitFetcherManager(splitReaderSupplier, config),
                recordEmitter,
                config,
                context);
        this.metrics = metrics;
    }

    /** Restarts the {@code secondsSinceLastCompletedCheckpoint} clock. */
    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        metrics.checkpointCompleted();
        super.notifyCheckpointComplete(checkpointId);
    }

    @Override
    protected void onSplitFinished(Map<String, RedisSourceSplitState> finishedSplitIds) {
        LOG.debug("Splits finished: {}", finishedSplitIds.keySet());
    }

    @Override
    protected RedisSourceSplitState initializedState(RedisSourceSplit split) {
        if (split.kind() == RedisSplitKind.TAIL) {
            return new RedisTailSplitState(split.asTailSplit());
        }
        return new RedisScanSplitState(split.asScanSplit());
    }

    @Override
    protected RedisSourceSplit toSplitType(String splitId, RedisSourceSplitState splitState) {
        return splitState.toSplit();
    }
}
