package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.SyncAction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.YieldingOperatorFactory;

/**
 * Creates the {@link CatchUpSweepOperator} with the mailbox executor its sweep results re-enter
 * through (Flink hands one to factories that ask for it).
 */
public final class CatchUpSweepOperatorFactory extends AbstractStreamOperatorFactory<SyncAction>
        implements OneInputStreamOperatorFactory<RedisRecord, SyncAction>,
                YieldingOperatorFactory<SyncAction> {

    private static final long serialVersionUID = 1L;

    private final Sweeper sweep;

    /** Sweeps with {@code sweep} after each catch-up marker's checkpoint. */
    public CatchUpSweepOperatorFactory(Sweeper sweep) {
        this.sweep = sweep;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<SyncAction>> T createStreamOperator(
            StreamOperatorParameters<SyncAction> parameters) {
        return (T) new CatchUpSweepOperator(sweep, parameters, getMailboxExecutor());
    }

    @Override
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return CatchUpSweepOperator.class;
    }
}
