package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.metrics.util.InterceptingTaskMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The version gate in Flink's keyed operator harness: what it passes, what it counts as stale, and
 * how long a delete's tombstone lasts. State TTL runs on the harness's clock, moved by hand.
 */
class DocumentVersionGateTest {

    private static final Duration TTL = Duration.ofMinutes(60);
    private static final long TTL_MS = TTL.toMillis();

    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
    private KeyedOneInputStreamOperatorTestHarness<String, DocumentAction, DocumentAction> harness;

    @BeforeEach
    void open() throws Exception {
        // The operator's counters land in a group the test can read back by name.
        InterceptingTaskMetricGroup task =
                new InterceptingTaskMetricGroup() {
                    @Override
                    public InternalOperatorMetricGroup getOrAddOperator(
                            OperatorID operatorID, String name) {
                        return metrics;
                    }
                };
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new DocumentVersionGate(TTL)),
                        DocumentAction::documentKey,
                        Types.STRING,
                        new MockEnvironmentBuilder().setMetricGroup(task).build());
        harness.setStateTtlProcessingTime(0);
        harness.open();
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    @Test
    void passesEveryWriteThatNoDeleteIsNewerThanAndKeepsNoStateForThem() throws Exception {
        process(index("users", "1", 10));
        process(index("users", "1", 10)); // the same version again: a replay
        process(index("users", "1", 9)); // older: Elasticsearch refuses it with a 409
        process(index("users", "2", 1));
        process(delete("users", "3", 5)); // a delete with no write before it

        assertThat(passed())
                .containsExactly(
                        "INDEX users/1@10",
                        "INDEX users/1@10",
                        "INDEX users/1@9",
                        "INDEX users/2@1",
                        "DELETE users/3@5");
        assertThat(staleWritesSkipped()).isZero();
        // Only the delete is remembered: state follows the deletes, not the documents.
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void dropsWritesNotNewerThanADeleteUntilANewerWritePasses() throws Exception {
        process(delete("users", "1", 20));
        process(index("users", "1", 20)); // equal to the delete
        process(index("users", "1", 15));
        process(delete("users", "1", 18));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        process(index("users", "1", 21)); // newer: passes and clears the tombstone
        assertThat(harness.numKeyedStateEntries()).isZero();
        process(index("users", "1", 19)); // Elasticsearch holds 21 and refuses it

        assertThat(passed())
                .containsExactly("DELETE users/1@20", "INDEX users/1@21", "INDEX users/1@19");
        assertThat(staleWritesSkipped()).isEqualTo(3);
    }

    @Test
    void aTombstoneIsRemovedOnceItsTtlHasPassedThoughTheDocumentIsNeverWrittenAgain()
            throws Exception {
        process(delete("users", "1", 20));
        harness.setStateTtlProcessingTime(1_000);
        harness.setProcessingTime(1_000);
        process(delete("users", "2", 30));
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);

        harness.setStateTtlProcessingTime(TTL_MS);
        harness.setProcessingTime(TTL_MS);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

        harness.setStateTtlProcessingTime(1_000 + TTL_MS);
        harness.setProcessingTime(1_000 + TTL_MS);
        assertThat(harness.numKeyedStateEntries()).isZero();
    }

    @Test
    void aDeleteIsATombstoneForTheTtlAfterItAndIsForgottenThen() throws Exception {
        process(index("users", "1", 10));
        harness.setStateTtlProcessingTime(1_000);
        process(delete("users", "1", 20));

        // A late write older than the delete, while Elasticsearch may have forgotten its own
        // tombstone already (index.gc_deletes, 60 s): dropped, reads do not extend the TTL.
        harness.setStateTtlProcessingTime(1_000 + TTL_MS / 2);
        process(index("users", "1", 15));
        harness.setStateTtlProcessingTime(1_000 + TTL_MS - 1);
        process(index("users", "1", 15));
        assertThat(staleWritesSkipped()).isEqualTo(2);

        // The TTL after the delete has passed: the gate no longer knows the document.
        harness.setStateTtlProcessingTime(1_000 + TTL_MS);
        process(index("users", "1", 15));

        assertThat(passed())
                .containsExactly("INDEX users/1@10", "DELETE users/1@20", "INDEX users/1@15");
        assertThat(staleWritesSkipped()).isEqualTo(2);
    }

    @Test
    void theTtlOfATombstoneRunsFromItsDelete() throws Exception {
        process(index("users", "1", 10));
        harness.setStateTtlProcessingTime(TTL_MS - 1);
        process(delete("users", "1", 20));

        // Past a TTL from the first write, within the delete's.
        harness.setStateTtlProcessingTime(TTL_MS + 1);
        process(index("users", "1", 10));
        assertThat(staleWritesSkipped()).isEqualTo(1);

        harness.setStateTtlProcessingTime(2 * TTL_MS - 2);
        process(index("users", "1", 10));
        assertThat(staleWritesSkipped()).isEqualTo(2);

        // The delete's TTL has passed.
        harness.setStateTtlProcessingTime(2 * TTL_MS - 1);
        process(index("users", "1", 10));
        assertThat(passed())
                .containsExactly("INDEX users/1@10", "DELETE users/1@20", "INDEX users/1@10");
        assertThat(staleWritesSkipped()).isEqualTo(2);
    }

    private void process(DocumentAction action) throws Exception {
        harness.processElement(new StreamRecord<>(action));
    }

    private long staleWritesSkipped() {
        return ((Counter) metrics.get(DocumentVersionGate.STALE_WRITES)).getCount();
    }

    private List<String> passed() {
        return harness.extractOutputValues().stream()
                .map(a -> a.getOp() + " " + a.documentKey() + "@" + a.getVersion())
                .collect(Collectors.toList());
    }

    private static DocumentAction index(String index, String id, long version) {
        return DocumentAction.index(
                index,
                id,
                version,
                index + ":" + id,
                ("{\"v\":" + version + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static DocumentAction delete(String index, String id, long version) {
        return DocumentAction.delete(index, id, version, index + ":" + id);
    }
}
