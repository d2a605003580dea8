package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.job.mapping.SyncAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * The event-time watermark of rollups that share one time field: the greatest record time seen,
 * held at {@code Long.MIN_VALUE} while the source's watermark is (that is, while its snapshot scan
 * runs, see {@code RedisReadTimeWatermarks}), so a snapshot read in hash order is never late.
 *
 * <p>Out-of-orderness 0: rollup documents are written on every change, not when a window fires, so
 * the watermark only decides when a window closes, and the allowed lateness is the one setting for
 * how long it stays open. The source's own watermark (Redis read times) stops here; records pass
 * unchanged. After {@code idleTimeout} without records this subtask is idle, so that a subtask
 * without data (no Redis node of its own, a quiet tail) does not hold the others back; but never
 * while it is held with data seen, which would let the others close its snapshot's windows.
 */
final class RollupWatermarkOperator extends AbstractStreamOperator<SyncAction>
        implements OneInputStreamOperator<SyncAction, SyncAction>, ProcessingTimeCallback {
    private static final long serialVersionUID = 1L;

    private final List<RollupSpec> specs;
    private final long idleTimeoutMillis;

    private transient long greatest;
    private transient long emitted;
    private transient boolean released;
    private transient boolean seenRecord;
    private transient boolean idle;
    private transient long lastRecordMillis;

    /** For {@code specs}, windowed rollups with one time field (or all on the read time). */
    RollupWatermarkOperator(List<RollupSpec> specs, Duration idleTimeout) {
        this.specs = new ArrayList<>(specs);
        this.idleTimeoutMillis = idleTimeout.toMillis();
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        greatest = Long.MIN_VALUE;
        emitted = Long.MIN_VALUE;
        long now = getProcessingTimeService().getCurrentProcessingTime();
        lastRecordMillis = now;
        getProcessingTimeService().registerTimer(now + idleTimeoutMillis, this);
    }

    @Override
    public void processElement(StreamRecord<SyncAction> element) {
        SyncAction action = element.getValue();
        seenRecord = true;
        lastRecordMillis = getProcessingTimeService().getCurrentProcessingTime();
        if (idle) {
            idle = false;
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
        }
        output.collect(element);
        Long time = timeOf(action);
        if (time != null && time > greatest) {
            greatest = time;
            // After the record: it is judged against the watermark before it, as Flink does.
            emitIfReleased();
        }
    }

    /** The record's time for these rollups, or null when it has none (deletes, other indexes). */
    private Long timeOf(SyncAction element) {
        DocumentAction action = element.getDocument();
        if (!element.isWrite() || action.getOp() != DocumentAction.Op.INDEX) {
            return null;
        }
        for (RollupSpec spec : specs) {
            if (spec.isWindowed() && spec.reads(action)) {
                if (spec.timeField() == null) {
                    return Math.floorDiv(action.getVersion(), 1000L);
                }
                JsonNode document = RollupContributions.parse(action);
                return document == null
                        ? null
                        : RollupContributions.epochMillis(document.get(spec.timeField()));
            }
        }
        return null;
    }

    @Override
    public void processWatermark(Watermark mark) {
        if (mark.getTimestamp() == Long.MAX_VALUE) {
            // End of input: every window closes.
            output.emitWatermark(mark);
            emitted = Long.MAX_VALUE;
            return;
        }
        if (!released && mark.getTimestamp() > Long.MIN_VALUE) {
            released = true;
            emitIfReleased();
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // This operator's idleness is its own (see the class comment), not the source's.
    }

    private void emitIfReleased() {
        if (released && !idle && greatest > emitted) {
            emitted = greatest;
            output.emitWatermark(new Watermark(greatest - 1));
        }
    }

    @Override
    public void onProcessingTime(long time) {
        boolean quiet = time - lastRecordMillis >= idleTimeoutMillis;
        if (quiet && !idle && (released || !seenRecord)) {
            idle = true;
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        }
        getProcessingTimeService().registerTimer(time + Math.max(1, idleTimeoutMillis / 2), this);
    }
}
