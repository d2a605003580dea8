package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetter;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.job.mapping.SyncAction;
import io.github.redisessync.job.mapping.SyncWrites;
import io.github.redisessync.job.rollup.RollupGraph;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.job.sweep.CatchUpSweep;
import io.github.redisessync.job.sweep.CatchUpSweepOperatorFactory;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The sync job graph: Redis source, mapping to documents, rollups, the Elasticsearch sink (which
 * keys by document and gates stale versions itself); dead letters to their own sink.
 *
 * <p>Takes its source and sinks in the constructor so that production wiring ({@code sync}, {@code
 * local}) and tests use the same graph with their own parts.
 */
public final class RedisToElasticsearchJob {
    private final Source<RedisRecord, ?, ?> source;
    private final RecordMapper mapper;
    private final Sink<DocumentAction> documentSink;
    private final Sink<DeadLetter> deadLetterSink;
    private List<RollupSpec> rollups = List.of();
    private CatchUpSweep catchUpSweep;

    public RedisToElasticsearchJob(
            Source<RedisRecord, ?, ?> source,
            RecordMapper mapper,
            Sink<DocumentAction> documentSink,
            Sink<DeadLetter> deadLetterSink) {
        this.source = source;
        this.mapper = mapper;
        this.documentSink = documentSink;
        this.deadLetterSink = deadLetterSink;
    }

    /** Also maintains {@code rollups}, written through the same sink; none by default. */
    public RedisToElasticsearchJob withRollups(List<RollupSpec> rollups) {
        this.rollups = List.copyOf(rollups);
        return this;
    }

    /**
     * Sweeps the documents of vanished keys after each catch-up of the tail (see {@link
     * CatchUpSweep} and {@link io.github.redisessync.job.sweep.CatchUpSweepOperator}); without it,
     * catch-up markers are dropped.
     */
    public RedisToElasticsearchJob withCatchUpSweep(CatchUpSweep sweep) {
        this.catchUpSweep = sweep;
        return this;
    }

    /** Adds the job's operators to {@code env}. */
    public void addTo(StreamExecutionEnvironment env) {
        DataStream<RedisRecord> records =
                // Watermarks only for windowed rollups: held until the snapshot is done.
                env.fromSource(source, RollupGraph.sourceWatermarks(rollups), "redis-source")
                        .uid("redis-source");
        // The rollups need the catch-up markers in the document stream; none reach the sink.
        boolean markers = !rollups.isEmpty();
        SingleOutputStreamOperator<SyncAction> documents =
                records.filter(record -> markers || !record.isCatchUpMarker())
                        .uid("redis-keys")
                        .name("redis-keys")
                        .process(new RecordMappingFunction(mapper))
                        .uid("map-records")
                        .name("map-records");
        documents
                .getSideOutput(RecordMappingFunction.DEAD_LETTERS)
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead-letters");
        DataStream<SyncAction> actions = documents;
        DataStream<DocumentAction> writes = SyncWrites.of(documents);
        if (catchUpSweep != null) {
            // Markers are rare (one per gap); each is swept after a checkpoint, off the mailbox.
            DataStream<SyncAction> sweepDeletes =
                    records.filter(RedisRecord::isCatchUpMarker)
                            .uid("catch-up-markers")
                            .name("catch-up-markers")
                            .transform(
                                    "catch-up-sweep",
                                    TypeInformation.of(SyncAction.class),
                                    new CatchUpSweepOperatorFactory(catchUpSweep))
                            .uid("catch-up-sweep");
            actions = documents.union(sweepDeletes);
            writes = writes.union(SyncWrites.of(sweepDeletes, "sweep-writes"));
        }
        if (!rollups.isEmpty()) {
            writes = writes.union(RollupGraph.rollupDocuments(actions, rollups));
        }
        writeDocuments(writes, documentSink);
    }

    /**
     * The sink half of the graph. The document sink keys the actions by document and drops stale
     * ones in front of its writers itself ({@code ElasticsearchDocumentSink}), so all writes of one
     * document reach one writer, in order. Tests build their own graphs around the same half.
     */
    public static void writeDocuments(
            DataStream<DocumentAction> documents, Sink<DocumentAction> documentSink) {
        documents.sinkTo(documentSink).uid("elasticsearch-sink").name("elasticsearch");
    }
}
