package io.github.redisessync.job.rollup;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisReadTimeWatermarks;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.SyncAction;
import io.github.redisessync.job.mapping.SyncWrites;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Adds the rollup operators to a job graph: documents keyed by document id into {@link
 * RollupContributionFunction}, its deltas keyed by rollup document id into {@link
 * RollupAggregateFunction}, whose rollup documents go to the same sink as the documents (each
 * action names its index).
 *
 * <p>Event time: windowed rollups close their windows on a watermark of their time field ({@link
 * RollupWatermarkOperator}), held back until the source's watermark moves, which a Redis source
 * read with {@link #sourceWatermarks} does once its snapshot is done. One watermark serves the
 * rollups of one time field, so the rollups are split by time field into pipelines of their own;
 * running totals never close and join the first.
 *
 * <p>Catch-up markers of the source ({@link SyncAction#catchUpFinished}) travel with the documents;
 * the rollups need them (see {@link RollupContributionOperator}), and {@link SyncWrites} drops them
 * before the sink.
 */
public final class RollupGraph {
    /** How long a deleted record's version is kept to recognise a stale read of it. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(1);

    /** How long a rollup watermark subtask waits without records before it is idle. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    private static final String READ_TIME = "(read time)";

    private RollupGraph() {}

    /**
     * The source's watermark strategy for {@code rollups}: {@link RedisReadTimeWatermarks} when a
     * rollup has windows, else none (the graph then carries no watermark at all, as without
     * rollups).
     */
    public static WatermarkStrategy<RedisRecord> sourceWatermarks(List<RollupSpec> rollups) {
        boolean windowed = rollups != null && rollups.stream().anyMatch(RollupSpec::isWindowed);
        return windowed ? RedisReadTimeWatermarks.strategy() : WatermarkStrategy.noWatermarks();
    }

    /**
     * The writes of {@code actions} followed by the rollup documents of {@code rollups}: what the
     * job hands to its sink. Just the writes when there is no rollup.
     */
    public static DataStream<DocumentAction> withRollups(
            DataStream<SyncAction> actions, List<RollupSpec> rollups) {
        DataStream<DocumentAction> writes = SyncWrites.of(actions);
        if (rollups == null || rollups.isEmpty()) {
            return writes;
        }
        return writes.union(rollupDocuments(actions, rollups));
    }

    /** The rollup documents (index and delete actions) of {@code rollups} over {@code actions}. */
    public static DataStream<DocumentAction> rollupDocuments(
            DataStream<SyncAction> actions, List<RollupSpec> rollups) {
        Map<String, List<RollupSpec>> byTime = byTimeField(rollups);
        DataStream<DocumentAction> all = null;
        for (Map.Entry<String, List<RollupSpec>> entry : byTime.entrySet()) {
            String suffix = byTime.size() == 1 ? "" : "-" + entry.getKey();
            DataStream<DocumentAction> rollupDocuments =
                    pipeline(actions, entry.getValue(), suffix);
            all = all == null ? rollupDocuments : all.union(rollupDocuments);
        }
        return all;
    }

    /** Windowed rollups by time field; running totals with the first (alone when all are). */
    private static Map<String, List<RollupSpec>> byTimeField(List<RollupSpec> rollups) {
        Map<String, List<RollupSpec>> byTime = new LinkedHashMap<>();
        List<RollupSpec> totals = new ArrayList<>();
        for (RollupSpec spec : rollups) {
            if (spec.isWindowed()) {
                String time = spec.timeField() == null ? READ_TIME : spec.timeField();
                byTime.computeIfAbsent(time, t -> new ArrayList<>()).add(spec);
            } else {
                totals.add(spec);
            }
        }
        if (byTime.isEmpty()) {
            byTime.put("totals", totals);
        } else {
            byTime.values().iterator().next().addAll(totals);
        }
        return byTime;
    }

    private static DataStream<DocumentAction> pipeline(
            DataStream<SyncAction> documents, List<RollupSpec> specs, String suffix) {
        DataStream<SyncAction> input = documents;
        if (specs.stream().anyMatch(RollupSpec::isWindowed)) {
            input =
                    documents
                            .transform(
                                    "rollup-watermarks" + suffix,
                                    TypeInformation.of(SyncAction.class),
                                    new RollupWatermarkOperator(specs, DEFAULT_IDLE_TIMEOUT))
                            .uid("rollup-watermarks" + suffix);
        }
        return input.flatMap(new RollupMarkerFanOut(), TypeInformation.of(SyncAction.class))
                .uid("rollup-marker-fan-out" + suffix)
                .name("rollup-marker-fan-out" + suffix)
                .keyBy(SyncAction::documentKey, Types.STRING)
                .transform(
                        "rollup-contributions" + suffix,
                        TypeInformation.of(RollupDelta.class),
                        new RollupContributionOperator(
                                new RollupContributionFunction(specs, DEFAULT_TOMBSTONE_RETENTION)))
                .uid("rollup-contributions" + suffix)
                .name("rollup-contributions" + suffix)
                .keyBy(RollupDelta::aggregateId, Types.STRING)
                .process(
                        new RollupAggregateFunction(specs),
                        TypeInformation.of(DocumentAction.class))
                .uid("rollup-aggregates" + suffix)
                .name("rollup-aggregates" + suffix);
    }
}
