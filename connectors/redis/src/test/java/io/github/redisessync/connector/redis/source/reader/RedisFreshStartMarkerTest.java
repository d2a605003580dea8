package io.github.redisessync.connector.redis.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisScanSplitState;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

/**
 * When a scan's end asks for a sweep (the first scan of a fresh, unbounded, tailing start), and how
 * the emitter passes that marker on under the scan split.
 */
class RedisFreshStartMarkerTest {

    private static final List<String> PATTERNS = List.of("user:*", "order:*");
    private static final RedisScanSplit FRESH_SCAN =
            RedisScanSplit.initial("localhost:6379", 0, PATTERNS);
    private static final RedisTailSplit FRESH_TAIL =
            new RedisTailSplit("localhost:6379", 0, RedisTailMode.KEYSPACE, "", PATTERNS, false);

    @Test
    void theFirstScanOfAFreshUnboundedTailingStartAsksForASweep() {
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, FRESH_TAIL, false)).isTrue();
        RedisTailSplit channel =
                new RedisTailSplit(
                        "localhost:6379", 0, RedisTailMode.CHANNEL, "changes", PATTERNS, false);
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, channel, false)).isTrue();
    }

    @Test
    void aScanRestoredMidWayAsksForNoSweep() {
        assertThat(RedisSplitReader.sweepsAfterScan(scanAt(0, "1792", 300), FRESH_TAIL, false))
                .isFalse();
        // The second pattern's first SCAN call, and a finished scan.
        assertThat(RedisSplitReader.sweepsAfterScan(scanAt(1, "0", 300), FRESH_TAIL, false))
                .isFalse();
        assertThat(RedisSplitReader.sweepsAfterScan(scanAt(2, "0", 600), FRESH_TAIL, false))
                .isFalse();
        // A cursor back at 0 with keys scanned is not a start either.
        assertThat(RedisSplitReader.sweepsAfterScan(scanAt(0, "0", 1), FRESH_TAIL, false))
                .isFalse();
    }

    @Test
    void aRestoredTailLeavesTheSweepToItsGapRescan() {
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, FRESH_TAIL.asResumed(), false))
                .isFalse();
    }

    @Test
    void boundedRunsAskForNoSweep() {
        // tail.stop-when-idle (local --until-synced): no checkpoint may follow the marker.
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, FRESH_TAIL, true)).isFalse();
        // No tail (tail none, reindex's load).
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, null, false)).isFalse();
    }

    @Test
    void aTailThatDoesNotCoverTheScanAsksForNoSweep() {
        RedisTailSplit otherDatabase =
                new RedisTailSplit(
                        "localhost:6379", 1, RedisTailMode.KEYSPACE, "", PATTERNS, false);
        RedisTailSplit fewerPatterns =
                new RedisTailSplit(
                        "localhost:6379", 0, RedisTailMode.KEYSPACE, "", List.of("user:*"), false);
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, otherDatabase, false)).isFalse();
        assertThat(RedisSplitReader.sweepsAfterScan(FRESH_SCAN, fewerPatterns, false)).isFalse();
    }

    @Test
    void theEmitterPassesTheScansMarkerOnWithoutTimestampOrCount() {
        SimpleCounter keysScanned = new SimpleCounter();
        SimpleCounter recordsEmitted = new SimpleCounter();
        RedisRecordEmitter emitter = new RedisRecordEmitter(keysScanned, recordsEmitted);
        RedisScanSplitState state = new RedisScanSplitState(FRESH_SCAN);
        RecordingOutput output = new RecordingOutput();

        emitter.emitRecord(RedisSplitElement.position(2, "0", 600, 600), output, state);
        RedisRecord marker = RedisRecord.catchUpFinished(PATTERNS, 1_712_345_678_901_234L, 0);
        emitter.emitRecord(RedisSplitElement.record(marker), output, state);

        assertThat(output.records).containsExactly(marker);
        assertThat(output.timestamps).containsExactly(Long.MIN_VALUE);
        assertThat(recordsEmitted.getCount()).isZero();
        assertThat(keysScanned.getCount()).isEqualTo(600);
        // The split state holds the final position, as it would without the marker.
        assertThat(state.toSplit()).isEqualTo(scanAt(2, "0", 600));
    }

    private static RedisScanSplit scanAt(int patternIndex, String cursor, long keysScanned) {
        return new RedisScanSplit("localhost:6379", 0, PATTERNS, patternIndex, cursor, keysScanned);
    }

    /** Records what was collected, {@code Long.MIN_VALUE} for "no timestamp". */
    private static final class RecordingOutput implements SourceOutput<RedisRecord> {
        final List<RedisRecord> records = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();

        @Override
        public void collect(RedisRecord record) {
            records.add(record);
            timestamps.add(Long.MIN_VALUE);
        }

        @Override
        public void collect(RedisRecord record, long timestamp) {
            records.add(record);
            timestamps.add(timestamp);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
