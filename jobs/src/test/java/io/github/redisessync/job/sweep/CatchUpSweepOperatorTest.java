package io.github.redisessync.job.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.SyncAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.tasks.mailbox.Mail;
import org.apache.flink.streaming.runtime.tasks.mailbox.TaskMailbox;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sweep operator never holds its input: watermarks and records pass while a marker waits for
 * its checkpoint, the sweep starts only once a checkpoint taken after the marker completes, and its
 * actions come back through the mailbox.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class CatchUpSweepOperatorTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final TypeSerializer<RedisRecord> RECORDS =
            TypeInformation.of(RedisRecord.class).createSerializer(new SerializerConfigImpl());

    /** Sweeps by test name: a sweeper is serialized with the operator factory. */
    private static final ConcurrentMap<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @Test
    void watermarksPassWhileAMarkerWaitsForItsCheckpoint() throws Exception {
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                harness(counting("watermarks", 3))) {
            harness.processElement(new StreamRecord<>(marker()));
            for (long w = 1; w <= 100; w++) {
                harness.processWatermark(new Watermark(w));
            }

            assertThat(harness.getOutput())
                    .as("every watermark, at once, the marker's sweep not yet run")
                    .hasSize(100)
                    .allMatch(element -> element instanceof Watermark);
            assertThat(calls("watermarks")).isZero();
        }
    }

    @Test
    void sweepsOnlyAfterACheckpointTakenAfterTheMarker() throws Exception {
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                harness(counting("after-checkpoint", 3))) {
            harness.snapshot(1, 1);
            harness.processElement(new StreamRecord<>(marker()));
            harness.notifyOfCompletedCheckpoint(1);
            assertThat(harness.getTaskMailbox().hasMail()).isFalse();
            assertThat(calls("after-checkpoint"))
                    .as("sweeps after a checkpoint the marker did not precede")
                    .isZero();

            harness.snapshot(2, 2);
            harness.notifyOfCompletedCheckpoint(2);
            runMailsUntil(harness, () -> actions(harness).size() == 3);

            assertThat(actions(harness))
                    .extracting(SyncAction::getId)
                    .containsExactly("0", "1", "2");
            assertThat(calls("after-checkpoint")).isEqualTo(1);
        }
    }

    @Test
    void emitsALargeResultInChunksThatCheckpointsCanInterleave() throws Exception {
        int size = CatchUpSweepOperator.CHUNK * 2 + 17;
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                harness(counting("chunks", size))) {
            harness.processElement(new StreamRecord<>(marker()));
            harness.snapshot(1, 1);
            harness.notifyOfCompletedCheckpoint(1);
            runMailsUntil(harness, () -> actions(harness).size() >= CatchUpSweepOperator.CHUNK);
            assertThat(actions(harness))
                    .as("one mail emits one chunk")
                    .hasSize(CatchUpSweepOperator.CHUNK);
            // A checkpoint between two chunks keeps the marker: a restore would sweep again.
            OperatorSubtaskState between = harness.snapshot(2, 2);
            runMailsUntil(harness, () -> actions(harness).size() == size);
            assertThat(restoredMarkers(between, "chunks-restored")).isEqualTo(1);
        }
    }

    @Test
    void aFailedSweepIsTriedAgainAfterTheNextCheckpoint() throws Exception {
        String name = "retry";
        Sweeper failingOnce =
                patterns -> {
                    if (CALLS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet()
                            == 1) {
                        throw new IllegalStateException("Elasticsearch is unreachable");
                    }
                    return deletes(2);
                };
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                harness(failingOnce)) {
            harness.processElement(new StreamRecord<>(marker()));
            harness.snapshot(1, 1);
            harness.notifyOfCompletedCheckpoint(1);
            runOneMail(harness); // the failure, handed back to the task thread
            assertThat(calls(name)).isEqualTo(1);
            assertThat(actions(harness)).isEmpty();

            harness.processWatermark(new Watermark(5));
            harness.snapshot(2, 2);
            harness.notifyOfCompletedCheckpoint(2);
            runMailsUntil(harness, () -> actions(harness).size() == 2);
            assertThat(calls(name)).isEqualTo(2);
        }
    }

    @Test
    void aMarkerCheckpointedBeforeItsSweepSweepsAfterARestore() throws Exception {
        OperatorSubtaskState state;
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                harness(counting("restore", 1))) {
            harness.processElement(new StreamRecord<>(marker()));
            state = harness.snapshot(1, 1);
        }
        assertThat(calls("restore")).as("the first run never completed its checkpoint").isZero();
        assertThat(restoredMarkers(state, "restore-2")).isEqualTo(1);
    }

    /** Restores {@code state} into a new operator and counts the sweeps its checkpoint starts. */
    private static int restoredMarkers(OperatorSubtaskState state, String name) throws Exception {
        try (OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> restored =
                harness(counting(name, 1), state)) {
            restored.snapshot(7, 7);
            restored.notifyOfCompletedCheckpoint(7);
            runMailsUntil(restored, () -> calls(name) >= 1 && !actions(restored).isEmpty());
            return calls(name);
        }
    }

    private static OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness(
            Sweeper sweeper) throws Exception {
        return harness(sweeper, null);
    }

    private static OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness(
            Sweeper sweeper, OperatorSubtaskState state) throws Exception {
        OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new CatchUpSweepOperatorFactory(sweeper), RECORDS);
        if (state != null) {
            harness.initializeState(state);
        }
        harness.open();
        return harness;
    }

    private static Sweeper counting(String name, int deletes) {
        return patterns -> {
            CALLS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            return deletes(deletes);
        };
    }

    private static int calls(String name) {
        AtomicInteger calls = CALLS.get(name);
        return calls == null ? 0 : calls.get();
    }

    private static List<SyncAction> deletes(int count) {
        List<SyncAction> deletes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            deletes.add(
                    SyncAction.write(
                            DocumentAction.delete("orders", String.valueOf(i), 42, "order:" + i)));
        }
        return deletes;
    }

    private static RedisRecord marker() {
        return RedisRecord.catchUpFinished(List.of("order:*"), 1_000, 0);
    }

    private static List<SyncAction> actions(
            OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness) {
        List<SyncAction> actions = new ArrayList<>();
        for (Object element : harness.getOutput()) {
            if (element instanceof StreamRecord) {
                actions.add((SyncAction) ((StreamRecord<?>) element).getValue());
            }
        }
        return actions;
    }

    /** Waits for the next mail of the task and runs it. */
    private static void runOneMail(
            OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<Mail> mail;
        while ((mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY)).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("No mail for the task within " + WAIT);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        mail.get().run();
    }

    /** Runs the task's mails, as its mailbox thread would, until {@code condition} holds. */
    private static void runMailsUntil(
            OneInputStreamOperatorTestHarness<RedisRecord, SyncAction> harness,
            java.util.function.BooleanSupplier condition)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            Optional<Mail> mail = harness.getTaskMailbox().tryTake(TaskMailbox.MIN_PRIORITY);
            if (mail.isPresent()) {
                mail.get().run();
                continue;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + WAIT + " running the task's mails");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
