package io.github.redisessync.job.rollup;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Adds the rollup operators to a job graph: documents keyed by document id into {@link
 * RollupContributionFunction}, its deltas keyed by rollup document id into {@link
 * RollupAggregateFunction}, whose rollup documents go to the same sink as the documents (each
 * action names its index).
 */
public final class RollupGraph {
    /** How long a deleted record's version is kept to recognise a stale read of it. */
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(1);

    private RollupGraph() {}

    /**
     * {@code documents} followed by the rollup documents of {@code rollups}; just {@code documents}
     * when there is no rollup.
     */
    public static DataStream<DocumentAction> withRollups(
            DataStream<DocumentAction> documents, List<RollupSpec> rollups) {
        if (rollups == null || rollups.isEmpty()) {
            return documents;
        }
        return documents.union(rollupDocuments(documents, rollups));
    }

    /**
     * The rollup documents (index and delete actions) of {@code rollups} over {@code documents}.
     */
    public static DataStream<DocumentAction> rollupDocuments(
            DataStream<DocumentAction> documents, List<RollupSpec> rollups) {
        return documents
                .keyBy(DocumentAction::documentKey, Types.STRING)
                .process(
                        new RollupContributionFunction(rollups, DEFAULT_TOMBSTONE_RETENTION),
                        TypeInformation.of(RollupDelta.class))
                .uid("rollup-contributions")
                .name("rollup-contributions")
                .keyBy(RollupDelta::aggregateId, Types.STRING)
                .process(
                        new RollupAggregateFunction(rollups),
                        TypeInformation.of(DocumentAction.class))
                .uid("rollup-aggregates")
                .name("rollup-aggregates");
    }
}
