package io.github.redisessync.job.sink;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * Passes records through and throws once per name: on the first record after a checkpoint has
 * completed in this attempt and at least {@code afterRecords} records have passed. The injected
 * failure makes the job restore that checkpoint and replay what followed it.
 */
final class FailOnceAfterCheckpoint<T> extends RichMapFunction<T, T> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Set<String> FAILED = ConcurrentHashMap.newKeySet();

    private final String name;
    private final long afterRecords;
    private transient long seen;
    private transient volatile boolean checkpointCompleted;

    FailOnceAfterCheckpoint(String name, long afterRecords) {
        this.name = name;
        this.afterRecords = afterRecords;
    }

    static boolean hasFailed(String name) {
        return FAILED.contains(name);
    }

    @Override
    public T map(T value) {
        seen++;
        if (checkpointCompleted && seen >= afterRecords && FAILED.add(name)) {
            throw new IllegalStateException("Injected failure after " + seen + " records.");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        checkpointCompleted = true;
    }
}
