package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.split.RedisScanSplitState;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplitState;
import io.github.redisessync.connector.redis.source.split.RedisTailSplitState;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;

/**
 * Emits records and moves a split's state to each position the split reader reports: a scan split's
 * SCAN position, a stream tail's last entry (a pub/sub tail has no position).
 *
 * <p>Timestamps: a tail split's record carries the Redis time of its read in milliseconds; a scan
 * split's record carries none, because a SCAN reads keys in hash order, not in time order. With
 * {@link io.github.redisessync.connector.redis.source.RedisReadTimeWatermarks} the watermark of a
 * reader thus stays at its minimum until its scan split is finished (Flink's per-split watermarks:
 * the reader's watermark is the least of its unfinished splits').
 */
public class RedisRecordEmitter
        implements RecordEmitter<RedisSplitElement, RedisRecord, RedisSourceSplitState> {

    private final Counter keysScanned;
    private final Counter recordsEmitted;

    public RedisRecordEmitter(Counter keysScanned, Counter recordsEmitted) {
        this.keysScanned = keysScanned;
        this.recordsEmitted = recordsEmitted;
    }

    @Override
    public void emitRecord(
            RedisSplitElement element,
            SourceOutput<RedisRecord> output,
            RedisSourceSplitState splitState) {
        if (element.isRecord()) {
            RedisRecord record = element.record();
            if (splitState instanceof RedisScanSplitState || record.isCatchUpMarker()) {
                output.collect(record);
            } else {
                output.collect(record, Math.floorDiv(record.getVersion(), 1000L));
            }
            if (!element.record().isCatchUpMarker()) {
                recordsEmitted.inc();
            }
        } else if (element.streamPosition() != null) {
            ((RedisTailSplitState) splitState).advanceTo(element.streamPosition());
        } else {
            ((RedisScanSplitState) splitState)
                    .advanceTo(element.patternIndex(), element.cursor(), element.keysScanned());
            keysScanned.inc(element.newKeysScanned());
        }
    }
}
