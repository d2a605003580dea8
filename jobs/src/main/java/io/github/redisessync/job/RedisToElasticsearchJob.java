package io.github.redisessync.job;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.DocumentVersionGate;
import io.github.redisessync.connector.elasticsearch.ElasticsearchSinkOptions;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.DeadLetter;
import io.github.redisessync.job.mapping.RecordMapper;
import io.github.redisessync.job.mapping.RecordMappingFunction;
import io.github.redisessync.job.rollup.RollupGraph;
import io.github.redisessync.job.rollup.RollupSpec;
import io.github.redisessync.job.sweep.CatchUpSweep;
import io.github.redisessync.job.sweep.CatchUpSweepOperatorFactory;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The sync job graph: Redis source, mapping to documents, keyed by document, version gate,
 * Elasticsearch sink; dead letters to their own sink.
 *
 * <p>Takes its source and sinks in the constructor so that production wiring ({@code sync}, {@code
 * local}) and tests use the same graph with their own parts.
 */
public final class RedisToElasticsearchJob {
    private final Source<RedisRecord, ?, ?> source;
    private final RecordMapper mapper;
    private final Sink<DocumentAction> documentSink;
    private final Sink<DeadLetter> deadLetterSink;
    private Duration versionGateTtl = ElasticsearchSinkOptions.VERSION_GATE_TTL.defaultValue();
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

    /** How long the version gate remembers a document's last version; see the gate. */
    public RedisToElasticsearchJob withVersionGateTtl(Duration ttl) {
        this.versionGateTtl = ttl;
        return this;
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
        // The rollups need the catch-up markers in the document stream; the gate drops them.
        boolean markers = !rollups.isEmpty();
        SingleOutputStreamOperator<DocumentAction> documents =
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
        DataStream<DocumentAction> actions = documents;
        if (catchUpSweep != null) {
            // Markers are rare (one per gap); each is swept after a checkpoint, off the mailbox.
            DataStream<DocumentAction> sweepDeletes =
                    records.filter(RedisRecord::isCatchUpMarker)
                            .uid("catch-up-markers")
                            .name("catch-up-markers")
                            .transform(
                                    "catch-up-sweep",
                                    TypeInformation.of(DocumentAction.class),
                                    new CatchUpSweepOperatorFactory(catchUpSweep))
                            .uid("catch-up-sweep");
            actions = documents.union(sweepDeletes);
        }
        // Without rollups this is actions itself: the graph is unchanged.
        writeDocuments(RollupGraph.withRollups(actions, rollups), documentSink, versionGateTtl);
    }

    /**
     * The sink half of the graph: keyed by document, the {@link DocumentVersionGate} drops actions
     * older than one already passed on (stale writes), and the sink writes the rest with their
     * versions. Tests build their own graphs around the same half.
     */
    public static void writeDocuments(
            DataStream<DocumentAction> documents,
            Sink<DocumentAction> documentSink,
            Duration versionGateTtl) {
        // All writes of one document go through one gate and one sink subtask, in order.
        documents
                .keyBy(DocumentAction::documentKey)
                .process(new DocumentVersionGate(versionGateTtl))
                .uid("version-gate")
                .name("version-gate")
                // Forward (chained): the sink subtask of a document is its gate's subtask.
                .sinkTo(documentSink)
                .uid("elasticsearch-sink")
                .name("elasticsearch");
    }
}
