package io.github.redisessync.connector.redis.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.redisessync.connector.redis.source.RedisTailMode;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import io.github.redisessync.connector.redis.source.split.RedisTailSplit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.connector.source.mocks.MockSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

/** Tests {@link RedisSourceEnumerator} with Flink's mock enumerator context. */
class RedisSourceEnumeratorTest {

    private static final int PARALLELISM = 3;

    private static final RedisScanSplit SPLIT =
            RedisScanSplit.initial("localhost:6379", 0, List.of("user:*"));

    private static final int OWNER = RedisSourceEnumerator.ownerOf(SPLIT, PARALLELISM);

    private final MockSplitEnumeratorContext<RedisSourceSplit> context =
            new MockSplitEnumeratorContext<>(PARALLELISM);

    private RedisSourceEnumerator boundedEnumerator() {
        return new RedisSourceEnumerator(context, Boundedness.BOUNDED, List.of(SPLIT), null);
    }

    private void register(RedisSourceEnumerator enumerator, int subtask) {
        context.registerReader(new ReaderInfo(subtask, "host-" + subtask));
        enumerator.addReader(subtask);
    }

    @Test
    void assignsTheSplitToItsOwnerWhenTheOwnerRegisters() {
        RedisSourceEnumerator enumerator = boundedEnumerator();
        enumerator.start();
        assertThat(context.getSplitsAssignmentSequence()).isEmpty();

        register(enumerator, OWNER);

        assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
        SplitsAssignment<RedisSourceSplit> assignment =
                context.getSplitsAssignmentSequence().get(0);
        assertThat(assignment.assignment()).containsOnlyKeys(OWNER);
        assertThat(assignment.assignment().get(OWNER)).containsExactly(SPLIT);
        assertThat(enumerator.snapshotState(1).unassignedSplits()).isEmpty();
    }

    @Test
    void spreadsTheNodesOfAClusterOverTheReadersWithEachNodesSplitsTogether() {
        List<RedisSourceSplit> splits = new ArrayList<>();
        for (String node : List.of("10.0.0.3:7000", "10.0.0.1:7000", "10.0.0.2:7000")) {
            splits.add(RedisScanSplit.initial(node, 0, List.of("user:*")));
            splits.add(
                    new RedisTailSplit(
                            node, 0, RedisTailMode.KEYSPACE, "", List.of("user:*"), false));
        }
        RedisSourceEnumerator enumerator =
                new RedisSourceEnumerator(
                        context, Boundedness.CONTINUOUS_UNBOUNDED, splits, null, () -> {});
        enumerator.start();

        IntStream.range(0, PARALLELISM).forEach(subtask -> register(enumerator, subtask));

        List<String> nodes = new ArrayList<>();
        for (SplitsAssignment<RedisSourceSplit> assignment :
                context.getSplitsAssignmentSequence()) {
            assignment
                    .assignment()
                    .forEach(
                            (subtask, assigned) -> {
                                assertThat(assigned).hasSize(2);
                                assertThat(assigned.get(0).node())
                                        .isEqualTo(assigned.get(1).node());
                                nodes.add(subtask + "=" + assigned.get(0).node());
                            });
        }
        // In address order: the first node to subtask 0, the next to 1, and so on.
        assertThat(nodes)
                .containsExactlyInAnyOrder("0=10.0.0.1:7000", "1=10.0.0.2:7000", "2=10.0.0.3:7000");
    }

    @Test
    void assignsTheScanAndTailSplitsOfANodeToTheSameReaderInOneAssignment() {
        RedisTailSplit tail =
                new RedisTailSplit(
                        "localhost:6379", 0, RedisTailMode.KEYSPACE, "", List.of("user:*"), false);
        List<Boolean> checked = new ArrayList<>();
        RedisSourceEnumerator enumerator =
                new RedisSourceEnumerator(
                        context,
                        Boundedness.CONTINUOUS_UNBOUNDED,
                        List.of(SPLIT, tail),
                        null,
                        () -> checked.add(true));
        enumerator.start();
        assertThat(checked).containsExactly(true);

        IntStream.range(0, PARALLELISM).forEach(subtask -> register(enumerator, subtask));

        assertThat(RedisSourceEnumerator.ownerOf(tail, PARALLELISM)).isEqualTo(OWNER);
        assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(context.getSplitsAssignmentSequence().get(0).assignment().get(OWNER))
                .containsExactly(SPLIT, tail);
        assertThat(context.hasNoMoreSplits(OWNER)).isFalse();
    }

    @Test
    void aFailedStartCheckAssignsNothing() {
        RedisSourceEnumerator enumerator =
                new RedisSourceEnumerator(
                        context,
                        Boundedness.CONTINUOUS_UNBOUNDED,
                        List.of(SPLIT),
                        null,
                        () -> {
                            throw new IllegalStateException("notify-keyspace-events is ''");
                        });
        register(enumerator, OWNER);

        assertThatThrownBy(enumerator::start).hasMessageContaining("notify-keyspace-events");
        assertThat(context.getSplitsAssignmentSequence()).isEmpty();
    }

    @Test
    void signalsNoMoreSplitsToEveryReaderOnceBoundedSplitsAreAssigned() {
        RedisSourceEnumerator enumerator = boundedEnumerator();
        enumerator.start();

        IntStream.range(0, PARALLELISM).forEach(subtask -> register(enumerator, subtask));

        IntStream.range(0, PARALLELISM)
                .forEach(subtask -> assertThat(context.hasNoMoreSplits(subtask)).isTrue());
        assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
    }

    @Test
    void neverSignalsNoMoreSplitsWhenUnbounded() {
        RedisSourceEnumerator enumerator =
                new RedisSourceEnumerator(
                        context, Boundedness.CONTINUOUS_UNBOUNDED, List.of(SPLIT), null);
        enumerator.start();

        IntStream.range(0, PARALLELISM).forEach(subtask -> register(enumerator, subtask));

        IntStream.range(0, PARALLELISM)
                .forEach(subtask -> assertThat(context.hasNoMoreSplits(subtask)).isFalse());
    }

    @Test
    void reassignsASplitHandedBackAfterAReaderFailure() {
        RedisSourceEnumerator enumerator = boundedEnumerator();
        enumerator.start();
        register(enumerator, OWNER);
        RedisScanSplit progressed =
                new RedisScanSplit("localhost:6379", 0, List.of("user:*"), 0, "17", 5);

        context.unregisterReader(OWNER);
        enumerator.addSplitsBack(List.of(progressed), OWNER);

        assertThat(context.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(enumerator.snapshotState(2).unassignedSplits()).containsExactly(progressed);

        register(enumerator, OWNER);

        assertThat(context.getSplitsAssignmentSequence()).hasSize(2);
        assertThat(context.getSplitsAssignmentSequence().get(1).assignment().get(OWNER))
                .containsExactly(progressed);
        assertThat(context.hasNoMoreSplits(OWNER)).isTrue();
    }

    @Test
    void restoresUnassignedSplitsFromASnapshot() {
        RedisSourceEnumerator enumerator = boundedEnumerator();
        enumerator.start();
        RedisSourceEnumState snapshot = enumerator.snapshotState(1);
        assertThat(snapshot.unassignedSplits()).containsExactly(SPLIT);
        assertThat(snapshot.initialSplitsCreated()).isTrue();

        MockSplitEnumeratorContext<RedisSourceSplit> restoredContext =
                new MockSplitEnumeratorContext<>(PARALLELISM);
        RedisSourceEnumerator restored =
                new RedisSourceEnumerator(
                        restoredContext, Boundedness.BOUNDED, List.of(SPLIT), snapshot);
        restored.start();
        restoredContext.registerReader(new ReaderInfo(OWNER, "host"));
        restored.addReader(OWNER);

        assertThat(restoredContext.getSplitsAssignmentSequence()).hasSize(1);
        assertThat(restoredContext.getSplitsAssignmentSequence().get(0).assignment().get(OWNER))
                .containsExactly(SPLIT);
    }

    @Test
    void doesNotRecreateSplitsThatReadersAlreadyOwnAfterARestore() {
        RedisSourceEnumerator enumerator = boundedEnumerator();
        enumerator.start();
        register(enumerator, OWNER);
        RedisSourceEnumState snapshot = enumerator.snapshotState(1);

        MockSplitEnumeratorContext<RedisSourceSplit> restoredContext =
                new MockSplitEnumeratorContext<>(PARALLELISM);
        RedisSourceEnumerator restored =
                new RedisSourceEnumerator(
                        restoredContext, Boundedness.BOUNDED, List.of(SPLIT), snapshot);
        restored.start();
        restoredContext.registerReader(new ReaderInfo(OWNER, "host"));
        restored.addReader(OWNER);

        assertThat(restoredContext.getSplitsAssignmentSequence()).isEmpty();
        assertThat(restoredContext.hasNoMoreSplits(OWNER)).isTrue();
    }
}
