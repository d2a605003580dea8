package io.github.redisessync.connector.redis.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of a {@link RedisSource} that say when its snapshot is done: per split, the greatest
 * Redis read time (ms) of the split's timestamped records. Scan records carry no timestamp, so a
 * reader's watermark, the least over its unfinished splits, stays at {@code Long.MIN_VALUE} until
 * its scan split is finished; then it follows the tail's reads.
 *
 * <pre>{@code
 * env.fromSource(source, RedisReadTimeWatermarks.strategy(), "redis-source");
 * }</pre>
 *
 * <p>Emitted on each newer read rather than periodically, so that the first watermark after a
 * snapshot travels right behind the record that caused it. A tail that has read nothing since the
 * snapshot emits none: the watermark moves with the first change.
 */
public final class RedisReadTimeWatermarks implements WatermarkGenerator<RedisRecord> {

    private long greatest = Long.MIN_VALUE;

    /** The strategy for {@code env.fromSource}: the record timestamps the reader assigned. */
    public static WatermarkStrategy<RedisRecord> strategy() {
        return WatermarkStrategy.forGenerator(context -> new RedisReadTimeWatermarks());
    }

    @Override
    public void onEvent(RedisRecord record, long timestamp, WatermarkOutput output) {
        if (timestamp > greatest) {
            greatest = timestamp;
            output.emitWatermark(new Watermark(greatest));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Emitted on events only: the split's watermark changes only with a newer read.
    }
}
