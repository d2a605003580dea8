package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisRecord;
import org.apache.flink.streaming.api.operators.AbstractStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.OneInputStreamOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.api.operators.YieldingOperatorFactory;

/**
 * Creates the {@link CatchUpSweepOperator} with the mailbox executor its sweep results re-enter
 * through (Flink hands one to factories that ask for it).
 */
public final class CatchUpSweepOperatorFactory extends AbstractStreamOperatorFactory<DocumentAction>
        implements OneInputStreamOperatorFactory<RedisRecord, DocumentAction>,
                YieldingOperatorFactory<DocumentAction> {

    private static final long serialVersionUID = 1L;

    private final Sweeper sweep;

    /** Sweeps with {@code sweep} after each catch-up marker's checkpoint. */
    public CatchUpSweepOperatorFactory(Sweeper sweep) {
        this.sweep = sweep;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends StreamOperator<DocumentAction>> T createStreamOperator(
            StreamOperatorParameters<DocumentAction> parameters) {
        return (T) new CatchUpSweepOperator(sweep, parameters, getMailboxExecutor());
    }

    @Override
    public Class<? extends StreamOperator> getStreamOperatorClass(ClassLoader classLoader) {
        return CatchUpSweepOperator.class;
    }
}
