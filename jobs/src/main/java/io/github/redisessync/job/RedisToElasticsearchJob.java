package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.DeadLetter;
import io.github.redisessync.job.mapping.HashDocumentMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The sync job graph: Redis source, mapping to documents, keyed by document, Elasticsearch sink;
 * dead letters to their own sink.
 *
 * <p>Takes its source and sinks in the constructor so that production wiring ({@code sync}, {@code
 * local}) and tests use the same graph with their own parts.
 */
public final class RedisToElasticsearchJob {
    private final Source<RedisRecord, ?, ?> source;
    private final HashDocumentMapper mapper;
    private final Sink<DocumentAction> documentSink;
    private final Sink<DeadLetter> deadLetterSink;

    public RedisToElasticsearchJob(
            Source<RedisRecord, ?, ?> source,
            HashDocumentMapper mapper,
            Sink<DocumentAction> documentSink,
            Sink<DeadLetter> deadLetterSink) {
        this.source = source;
        this.mapper = mapper;
        this.documentSink = documentSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** Adds the job's operators to {@code env}. */
    public void addTo(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<DocumentAction> documents =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "redis-source")
                        .uid("redis-source")
                        .process(new RecordMappingFunction(mapper))
                        .uid("map-records")
                        .name("map-records");
        documents
                .getSideOutput(RecordMappingFunction.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letters");
        // All writes of one document go through one sink subtask, in the order they were read.
        documents
                .keyBy(DocumentAction::documentKey)
                .sinkTo(documentSink)
                .uid("elasticsearch-sink")
                .name("elasticsearch");
    }
}
