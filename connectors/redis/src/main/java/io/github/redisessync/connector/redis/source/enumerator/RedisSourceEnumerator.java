package io.github.redisessync.connector.redis.source.enumerator;

import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>It needs no connection to Redis: the source computes the splits from its configuration (one
 * scan split, and with a tail one tail split, per node and database). A fixed owner per node and
 * database (the hash of {@code host:port/db} modulo the parallelism) keeps assignment deterministic
 * across restarts and puts a node's scan and tail splits on the same reader, whose single fetcher
 * thread then emits both in read order. A start check (the source's, e.g. that keyspace
 * notifications are on) runs in {@link #start()}, before any split is assigned. When the source is
 * bounded, a reader that owns no pending split is told there are no more splits, so it finishes
 * once its splits are read.
 */
public class RedisSourceEnumerator
        implements SplitEnumerator<RedisSourceSplit, RedisSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSourceEnumerator.class);

    private final SplitEnumeratorContext<RedisSourceSplit> context;
    private final Boundedness boundedness;
    private final List<RedisSourceSplit> initialSplits;
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
        this.context = context;
        this.startCheck = startCheck;
        this.boundedness = boundedness;
        this.initialSplits = List.copyOf(initialSplits);
        if (restoredState != null) {
            unassignedSplits.addAll(restoredState.unassignedSplits());
            initialSplitsCreated = restoredState.initialSplitsCreated();
        }
    }

    @Override
    public void start() {
        startCheck.run();
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

    /** The subtask that owns a split (and every split of its node); fixed for a parallelism. */
    static int ownerOf(RedisSourceSplit split, int parallelism) {
        return Math.floorMod(split.nodeId().hashCode(), parallelism);
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
            int owner = ownerOf(split, parallelism);
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
