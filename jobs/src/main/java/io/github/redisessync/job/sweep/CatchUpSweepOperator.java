package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.SyncAction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.StreamOperatorParameters;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Sweeper} ({@link CatchUpSweep}) for each catch-up marker once a checkpoint taken
 * after the marker has completed, without ever holding the task: nothing here waits.
 *
 * <p>Why after a checkpoint: the sink flushes on every checkpoint, so by then every document read
 * before the marker is in Elasticsearch; an earlier scroll could miss one still buffered in the
 * sink (its key deleted during the gap) and leave it behind for good.
 *
 * <p>Why not Flink's async operator, as before: it waited for the checkpoint inside the source's
 * chain, and its bounded queue held the watermarks behind the waiting marker. Under a writer the
 * watermarks filled the queue, the source's mailbox blocked in the queue, the checkpoint the marker
 * waited for could not be taken, and the job stopped syncing while it said RUNNING. Here a marker
 * is only remembered; records and watermarks pass on at once; {@code notifyCheckpointComplete}
 * starts the sweep on this operator's own thread, and its actions re-enter through the mailbox, a
 * chunk per mail so that checkpoints interleave with a large result.
 *
 * <p>Markers are checkpointed until their actions are all emitted, so a restore sweeps again (the
 * actions are versioned deletes and refreshes: repeating them changes nothing). A sweep that fails
 * (Elasticsearch or Redis unreachable) is logged, counted and tried again after the next completed
 * checkpoint; the job goes on syncing meanwhile. A bounded run that ends before its marker's
 * checkpoint ends without the sweep, which {@code verify --repair} makes up for.
 */
public final class CatchUpSweepOperator extends AbstractStreamOperator<SyncAction>
        implements OneInputStreamOperator<RedisRecord, SyncAction> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpSweepOperator.class);

    /** Actions emitted per mail: a checkpoint waits at most for one chunk. */
    static final int CHUNK = 1_000;

    private static final long NO_CHECKPOINT = -1L;

    private final Sweeper sweep;
    private final transient MailboxExecutor mailbox;

    // Task thread only.
    private transient List<Pending> pending;
    private transient ListState<RedisRecord> markers;
    private transient ExecutorService executor;
    private transient Counter sweeps;
    private transient Counter deletes;
    private transient Counter failures;

    CatchUpSweepOperator(
            Sweeper sweep,
            StreamOperatorParameters<SyncAction> parameters,
            MailboxExecutor mailbox) {
        this.sweep = sweep;
        this.mailbox = mailbox;
        setup(parameters.getContainingTask(), parameters.getStreamConfig(), parameters.getOutput());
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        TypeSerializer<RedisRecord> serializer =
                getOperatorConfig().getTypeSerializerIn(0, getUserCodeClassloader());
        markers =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>("catch-up-sweep-markers", serializer));
        pending = new ArrayList<>();
        for (RedisRecord marker : markers.get()) {
            // Swept again after the first checkpoint of the restored job.
            pending.add(new Pending(marker));
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        executor =
                Executors.newSingleThreadExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "catch-up-sweep");
                            thread.setDaemon(true);
                            return thread;
                        });
        sweeps = getMetricGroup().counter("catchUpSweeps");
        deletes = getMetricGroup().counter("catchUpSweepDeletes");
        failures = getMetricGroup().counter("catchUpSweepFailures");
        getMetricGroup().gauge("catchUpSweepsPending", () -> pending.size());
    }

    @Override
    public void processElement(StreamRecord<RedisRecord> element) {
        if (element.getValue().isCatchUpMarker()) {
            pending.add(new Pending(element.getValue()));
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        List<RedisRecord> kept = new ArrayList<>(pending.size());
        for (Pending marker : pending) {
            if (marker.checkpoint == NO_CHECKPOINT) {
                marker.checkpoint = context.getCheckpointId();
            }
            kept.add(marker.marker);
        }
        markers.update(kept);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        for (Pending marker : pending) {
            if (!marker.running
                    && marker.checkpoint != NO_CHECKPOINT
                    && marker.checkpoint <= checkpointId) {
                marker.running = true;
                CompletableFuture.supplyAsync(
                                () -> sweep.sweep(marker.marker.catchUpPatterns()), executor)
                        .whenComplete((actions, error) -> toMailbox(marker, actions, error));
            }
        }
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
        }
        super.close();
    }

    /** On the sweep's thread: hands the outcome to the task thread. */
    private void toMailbox(Pending marker, List<SyncAction> actions, Throwable error) {
        try {
            if (error != null) {
                mailbox.execute(() -> failed(marker, error), "catch-up sweep failed");
            } else {
                mailbox.execute(() -> emit(marker, actions, 0), "catch-up sweep actions");
            }
        } catch (RejectedExecutionException closing) {
            // The task is going away; the checkpointed marker sweeps again after a restore.
            LOG.debug("Dropped the outcome of a catch-up sweep: the task is closing");
        }
    }

    private void emit(Pending marker, List<SyncAction> actions, int from) {
        int to = Math.min(actions.size(), from + CHUNK);
        for (int i = from; i < to; i++) {
            output.collect(new StreamRecord<>(actions.get(i)));
        }
        if (to < actions.size()) {
            mailbox.execute(() -> emit(marker, actions, to), "catch-up sweep actions");
            return;
        }
        pending.remove(marker);
        sweeps.inc();
        deletes.inc(
                actions.stream()
                        .filter(
                                a ->
                                        a.isWrite()
                                                && a.getDocument().getOp()
                                                        == DocumentAction.Op.DELETE)
                        .count());
    }

    private void failed(Pending marker, Throwable error) {
        failures.inc();
        LOG.warn(
                "The catch-up sweep of {} failed; it is tried again after the next checkpoint,"
                        + " and syncing goes on meanwhile: {}",
                marker.marker.catchUpPatterns(),
                rootMessage(error));
        marker.running = false;
        marker.checkpoint = NO_CHECKPOINT;
    }

    private static String rootMessage(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return error == cause
                ? String.valueOf(error.getMessage())
                : error.getMessage() + " (" + cause + ")";
    }

    /** A marker whose actions are not all emitted yet. */
    private static final class Pending {
        final RedisRecord marker;
        // The first checkpoint taken after the marker; task thread only.
        long checkpoint = NO_CHECKPOINT;
        boolean running;

        Pending(RedisRecord marker) {
            this.marker = marker;
        }
    }
}
