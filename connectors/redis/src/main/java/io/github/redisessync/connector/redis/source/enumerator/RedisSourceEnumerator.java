package io.github.redisessync.connector.redis.source.enumerator;

import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import javax.annotation.Nullable;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the source's splits to readers: each split to one fixed owner subtask, as soon as that
 * subtask registers, and again after a failure hands a split back.
 *
 * <p>It needs no connection to Redis of its own: the source computes the splits (one scan split,
 * and with a tail one tail split, per node and database; a Redis Cluster has a node per primary)
 * when the enumerator starts. A fixed owner per node and database keeps assignment deterministic
 * across restarts and puts a node's scan and tail splits on the same reader, whose fetcher thread
 * for that node then emits both in read order: for one node, the hash of {@code host:port/db}
 * modulo the parallelism; for several (a cluster's primaries), their position in address order
 * modulo the parallelism, so that they spread over the readers. A start check (the source's, e.g.
 * that keyspace notifications are on) runs in {@link #start()}, before any split is assigned. When
 * the source is bounded, a reader that owns no pending split is told there are no more splits, so
 * it finishes once its splits are read.
 */
public class RedisSourceEnumerator
        implements SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceEnumerator.class);

    private final SplitEnumeratorContext<RedisSourceSplit> context;
    private final Boundedness boundedness;
    private final Supplier<List<? extends RedisSourceSplit>> initialSplitsSupplier;
    private List<RedisSourceSplit> initialSplits = List.of();
    // The nodes of the initial splits in address order; owners follow it when it has several.
    private List<String> nodeOrder = List.of();
    private final List<RedisSourceSplit> unassignedSplits = new ArrayList<>();
    private final Set<Integer> signalledNoMoreSplits = new HashSet<>();
    private final Runnable startCheck;
    private boolean initialSplitsCreated;

    public RedisSourceEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> context,
            Boundedness boundedness,
            List<? extends RedisSourceSplit> initialSplits,
            @Nullable RedisSourceEnumState restoredState) {
        this(context, boundedness, initialSplits, restoredState, () -> {});
    }

    public RedisSourceEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> context,
            Boundedness boundedness,
            List<? extends RedisSourceSplit> initialSplits,
            @Nullable RedisSourceEnumState restoredState,
            Runnable startCheck) {
        this(context, boundedness, () -> initialSplits, restoredState, startCheck);
    }

    /**
     * {@code initialSplits} is asked in {@link #start()}, after {@code startCheck}, also when
     * restored (for the order of the nodes): computing them may ask Redis for its topology.
     */
    public RedisSourceEnumerator(
            SplitEnumeratorContext<RedisSourceSplit> context,
            Boundedness boundedness,
            Supplier<List<? extends RedisSourceSplit>> initialSplits,
            @Nullable RedisSourceEnumState restoredState,
            Runnable startCheck) {
        this.context = context;
        this.startCheck = startCheck;
        this.boundedness = boundedness;
        this.initialSplitsSupplier = initialSplits;
        if (restoredState != null) {
            unassignedSplits.addAll(restoredState.unassignedSplits());
            initialSplitsCreated = restoredState.initialSplitsCreated();
        }
    }

    @Override
    public void start() {
        startCheck.run();
        initialSplits = List.copyOf(initialSplitsSupplier.get());
        Set<String> nodes = new TreeSet<>();
        initialSplits.forEach(split -> nodes.add(split.nodeId()));
        nodeOrder = List.copyOf(nodes);
        if (!initialSplitsCreated) {
            unassignedSplits.addAll(initialSplits);
            initialSplitsCreated = true;
            LOG.info("Created {} Redis splits: {}", initialSplits.size(), initialSplits);
        } else {
            LOG.info(
                    "Restored the Redis split enumerator with {} unassigned splits: {}",
                    unassignedSplits.size(),
                    unassignedSplits);
        }
        assignPendingSplits();
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // Splits are pushed when readers register; a request needs nothing more.
    }

    @Override
    public void addSplitsBack(List<RedisSourceSplit> splits, int subtaskId) {
        LOG.info("Subtask {} handed back Redis splits {}", subtaskId, splits);
        unassignedSplits.addAll(splits);
        signalledNoMoreSplits.remove(subtaskId);
        assignPendingSplits();
    }

    @Override
    public void addReader(int subtaskId) {
        // A re-registered subtask is a new reader that has not heard "no more splits" yet.
        signalledNoMoreSplits.remove(subtaskId);
        assignPendingSplits();
    }

    @Override
    public RedisSourceEnumState snapshotState(long checkpointId) {
        return new RedisSourceEnumState(unassignedSplits, initialSplitsCreated);
    }

    @Override
    public void close() {
        // Nothing to release: the enumerator holds no connection.
    }

    /** The subtask that owns a split of a single node (and every split of its node). */
    static int ownerOf(RedisSourceSplit split, int parallelism) {
        return ownerOf(split, parallelism, List.of());
    }

    /**
     * The subtask that owns a split (and every split of its node), fixed for a parallelism and
     * {@code nodeOrder}: with several nodes, the position of the split's node among them.
     */
    static int ownerOf(RedisSourceSplit split, int parallelism, List<String> nodeOrder) {
        int position = nodeOrder.size() > 1 ? nodeOrder.indexOf(split.nodeId()) : -1;
        return position >= 0
                ? position % parallelism
                : Math.floorMod(split.nodeId().hashCode(), parallelism);
    }

    private void assignPendingSplits() {
        if (!initialSplitsCreated) {
            return;
        }
        Set<Integer> registered = context.registeredReaders().keySet();
        int parallelism = context.currentParallelism();
        Map<Integer, List<RedisSourceSplit>> assignment = new HashMap<>();
        for (Iterator<RedisSourceSplit> it = unassignedSplits.iterator(); it.hasNext(); ) {
            RedisSourceSplit split = it.next();
            int owner = ownerOf(split, parallelism, nodeOrder);
            if (registered.contains(owner)) {
                assignment.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
                it.remove();
            }
        }
        if (!assignment.isEmpty()) {
            LOG.info("Assigning Redis splits {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (boundedness == Boundedness.BOUNDED) {
            // Every registered reader now holds all the splits it owns; a split handed back later
            // goes to a re-registered reader, which is told again.
            for (int subtask : registered) {
                if (signalledNoMoreSplits.add(subtask)) {
                    context.signalNoMoreSplits(subtask);
                }
            }
        }
    }
}
