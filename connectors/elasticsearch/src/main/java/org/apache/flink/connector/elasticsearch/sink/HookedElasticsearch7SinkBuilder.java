package org.apache.flink.connector.elasticsearch.sink;

import io.github.redisessync.connector.elasticsearch.BulkSessionFactory;
import java.util.Objects;
import org.elasticsearch.action.bulk.BackoffPolicy;
import org.elasticsearch.action.bulk.BulkProcessor;
import org.elasticsearch.client.RestHighLevelClient;
import org.elasticsearch.common.unit.ByteSizeUnit;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.common.unit.TimeValue;

/**
 * The connector's {@link Elasticsearch7SinkBuilder} with a {@link BulkSessionFactory} deciding how
 * bulk requests are sent and how their outcome reaches the writer.
 *
 * <p>Why this lives in the connector's package: in 3.0.1 the one seam for both, {@link
 * BulkProcessorBuilderFactory} (which receives the writer's {@code RestHighLevelClient} and its
 * {@code BulkProcessor.Listener}), and {@link BulkProcessorConfig} are package-private, and the
 * builder offers no {@code RestClientFactory} hook. The body of {@link #buildBulkProcessor} mirrors
 * {@code Elasticsearch7SinkBuilder}'s own factory (flush size, count, interval, backoff) and only
 * replaces the request consumer (the connector's sends with {@code RequestOptions.DEFAULT}) and the
 * listener. Shading keeps this class in the same jar and class loader as the connector, which
 * package-private access needs.
 */
public class HookedElasticsearch7SinkBuilder<IN> extends Elasticsearch7SinkBuilder<IN> {
    private BulkSessionFactory sessions;

    /** Sets how each writer sends its bulks and judges their outcome; required. */
    public HookedElasticsearch7SinkBuilder<IN> setBulkSessionFactory(BulkSessionFactory sessions) {
        this.sessions = Objects.requireNonNull(sessions, "bulk session factory");
        return this;
    }

    @Override
    protected BulkProcessorBuilderFactory getBulkProcessorBuilderFactory() {
        if (sessions == null) {
            throw new IllegalStateException("No bulk session factory was set.");
        }
        return new HookedFactory(sessions);
    }

    private static final class HookedFactory implements BulkProcessorBuilderFactory {
        private static final long serialVersionUID = 1L;
        private final BulkSessionFactory sessions;

        HookedFactory(BulkSessionFactory sessions) {
            this.sessions = sessions;
        }

        @Override
        public BulkProcessor.Builder apply(
                RestHighLevelClient client,
                BulkProcessorConfig config,
                BulkProcessor.Listener writerListener) {
            BulkSessionFactory.BulkSession session = sessions.open(client, writerListener);
            return buildBulkProcessor(session, config);
        }
    }

    static BulkProcessor.Builder buildBulkProcessor(
            BulkSessionFactory.BulkSession session, BulkProcessorConfig config) {
        BulkProcessor.Builder builder = BulkProcessor.builder(session.sender(), session.listener());
        if (config.getBulkFlushMaxActions() != -1) {
            builder.setBulkActions(config.getBulkFlushMaxActions());
        }
        if (config.getBulkFlushMaxMb() != -1) {
            builder.setBulkSize(new ByteSizeValue(config.getBulkFlushMaxMb(), ByteSizeUnit.MB));
        }
        if (config.getBulkFlushInterval() != -1) {
            builder.setFlushInterval(new TimeValue(config.getBulkFlushInterval()));
        }
        TimeValue delay = new TimeValue(config.getBulkFlushBackOffDelay());
        int retries = config.getBulkFlushBackoffRetries();
        BackoffPolicy backoff;
        switch (config.getFlushBackoffType()) {
            case CONSTANT:
                backoff = BackoffPolicy.constantBackoff(delay, retries);
                break;
            case EXPONENTIAL:
                backoff = BackoffPolicy.exponentialBackoff(delay, retries);
                break;
            case NONE:
                backoff = BackoffPolicy.noBackoff();
                break;
            default:
                throw new IllegalArgumentException(
                        "Unknown backoff type " + config.getFlushBackoffType());
        }
        return builder.setBackoffPolicy(backoff);
    }
}
