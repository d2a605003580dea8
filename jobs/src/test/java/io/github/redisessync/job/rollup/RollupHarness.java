package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.job.mapping.SyncAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Both rollup operators in operator test harnesses, the deltas of the first piped into the second,
 * and the rollup index as Elasticsearch would hold it after applying the actions in order.
 */
final class RollupHarness implements AutoCloseable {
    static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final List<RollupSpec> specs;
    private KeyedOneInputStreamOperatorTestHarness<String, SyncAction, RollupDelta> byDocument;
    private KeyedOneInputStreamOperatorTestHarness<String, RollupDelta, DocumentAction> byAggregate;
    private final Map<String, JsonNode> rollupIndex = new TreeMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final List<DocumentAction> written = new ArrayList<>();
    private final List<RollupDelta> late = new ArrayList<>();
    private long checkpointId;

    RollupHarness(List<RollupSpec> specs) throws Exception {
        this.specs = specs;
        start(null, null);
    }

    private void start(OperatorSubtaskState first, OperatorSubtaskState second) throws Exception {
        byDocument =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new RollupContributionOperator(
                                new RollupContributionFunction(specs, Duration.ofHours(1))),
                        SyncAction::documentKey,
                        Types.STRING);
        byAggregate =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new RollupAggregateFunction(specs)),
                        RollupDelta::aggregateId,
                        Types.STRING);
        if (first != null) {
            byDocument.initializeState(first);
            byAggregate.initializeState(second);
        }
        byDocument.open();
        byAggregate.open();
    }

    /** Snapshots both operators, throws them away and restores new ones from the snapshot. */
    void restartFromCheckpoint() throws Exception {
        restore(checkpoint());
    }

    /** A checkpoint of both operators. */
    OperatorSubtaskState[] checkpoint() throws Exception {
        checkpointId++;
        return new OperatorSubtaskState[] {
            byDocument.snapshot(checkpointId, checkpointId),
            byAggregate.snapshot(checkpointId, checkpointId)
        };
    }

    /**
     * Throws both operators away and restores new ones from {@code checkpoint}; the rollup index
     * keeps what was written since, as Elasticsearch does.
     */
    void restore(OperatorSubtaskState[] checkpoint) throws Exception {
        close();
        start(checkpoint[0], checkpoint[1]);
    }

    /** The source's marker that a rescan of {@code index} from {@code rescanStart} finished. */
    void catchUpFinished(String index, long rescanStart) throws Exception {
        process(SyncAction.catchUpFinished(List.of(index), rescanStart));
    }

    /** What the catch-up sweep sends: a refresh of every document of the rollup index. */
    void refreshRollupDocuments(long version) throws Exception {
        Map<String, String> indexById = new TreeMap<>();
        for (DocumentAction action : written) {
            indexById.put(action.getId(), action.getIndex());
        }
        for (String id : new ArrayList<>(rollupIndex.keySet())) {
            process(SyncAction.refresh(indexById.get(id), id, version));
        }
    }

    void put(String index, String id, long version, String json) throws Exception {
        process(
                DocumentAction.index(
                        index,
                        id,
                        version,
                        index + ":" + id,
                        json.getBytes(StandardCharsets.UTF_8)));
    }

    void delete(String index, String id, long version) throws Exception {
        process(DocumentAction.delete(index, id, version, index + ":" + id));
    }

    void process(DocumentAction action) throws Exception {
        process(SyncAction.write(action));
    }

    void process(SyncAction action) throws Exception {
        byDocument.processElement(new StreamRecord<>(action));
        pipe();
    }

    void watermark(long timestamp) throws Exception {
        byDocument.processWatermark(new Watermark(timestamp));
        pipe();
    }

    private void pipe() throws Exception {
        for (Object out : byDocument.getOutput()) {
            if (out instanceof StreamRecord) {
                @SuppressWarnings("unchecked")
                StreamRecord<RollupDelta> delta = (StreamRecord<RollupDelta>) out;
                byAggregate.processElement(delta);
            } else if (out instanceof Watermark) {
                byAggregate.processWatermark((Watermark) out);
            }
        }
        byDocument.getOutput().clear();
        if (byDocument.getSideOutput(RollupContributionFunction.LATE_CHANGES) != null) {
            byDocument
                    .getSideOutput(RollupContributionFunction.LATE_CHANGES)
                    .forEach(r -> late.add(r.getValue()));
            byDocument.getSideOutput(RollupContributionFunction.LATE_CHANGES).clear();
        }
        for (Object out : byAggregate.getOutput()) {
            if (out instanceof StreamRecord) {
                apply(((StreamRecord<DocumentAction>) out).getValue());
            }
        }
        byAggregate.getOutput().clear();
    }

    private void apply(DocumentAction action) {
        Long before = versions.put(action.getId(), action.getVersion());
        assertThat(action.getVersion())
                .as("version of %s grows with each write", action.getId())
                .isGreaterThan(before == null ? Long.MIN_VALUE : before);
        written.add(action);
        if (action.getOp() == DocumentAction.Op.INDEX) {
            rollupIndex.put(action.getId(), parse(action.getSource()));
        } else {
            rollupIndex.remove(action.getId());
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The rollup documents as Elasticsearch would hold them, by id. */
    Map<String, JsonNode> rollupIndex() {
        return rollupIndex;
    }

    /** Every action written to the rollup index, in order. */
    List<DocumentAction> written() {
        return written;
    }

    /** The deltas dropped as late. */
    List<RollupDelta> late() {
        return late;
    }

    @Override
    public void close() throws Exception {
        byDocument.close();
        byAggregate.close();
    }
}
