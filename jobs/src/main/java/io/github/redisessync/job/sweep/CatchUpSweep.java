package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchCredentials;
import io.github.redisessync.connector.elasticsearch.ElasticsearchTls;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.verify.ElasticsearchDocuments;
import io.github.redisessync.job.verify.ExtraDocuments;
import io.github.redisessync.job.verify.RedisKeyProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep after a catch-up: for each {@link RedisRecord#catchUpFinished catch-up marker} of the
 * source, deletes the documents of the marker's patterns whose keys no longer exist in Redis (keys
 * deleted while the tail had a gap, which no rescan can find). The first scan of a fresh start (no
 * checkpoint) ends with such a marker too, so documents of keys deleted while no job ran go as
 * well; its cost is the same: a scroll of each index's ids with an {@code EXISTS} per id.
 *
 * <p>The deletes take the job's normal path: they leave as {@link DocumentAction#delete} actions
 * versioned with the Redis {@code TIME} read before the existence checks, through the version gate
 * and the {@code external_gte} sink. A key re-created after that check is read later, so its
 * document wins; a key re-created before it exists, so it is not deleted.
 *
 * <p>Why here and not in the source: the source knows Redis, not the indexes, the id mapping or the
 * Elasticsearch URL, and stays a library. Why async: a sweep scrolls a whole index and can take
 * minutes; Flink's {@code AsyncWaitOperator} runs it on this function's own thread, keeps the
 * mailbox free, checkpoints the marker while its sweep is pending (a restore sweeps again) and
 * emits the deletes on the task thread.
 *
 * <p>When: only after a checkpoint that the marker preceded has completed. The sink flushes on
 * every checkpoint, so by then every document read before the marker is in Elasticsearch; an
 * earlier scroll could miss one still buffered in the sink (its key deleted during the gap) and
 * leave it behind for good. Without checkpointing no sweep runs: the operator's timeout then logs
 * the skipped sweep and {@code verify --repair} removes the documents. A bounded job gets no sweep
 * (see {@code SyncJobFactory}): at the end of its input a pending marker would hold it until the
 * timeout, since no checkpoint completes while the operator waits for its queue to drain.
 */
public final class CatchUpSweep extends RichAsyncFunction<RedisRecord, DocumentAction>
        implements CheckpointedFunction, CheckpointListener {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpSweep.class);

    /** The longest a marker waits for its checkpoint and sweep before it is logged and skipped. */
    public static final Duration TIMEOUT = Duration.ofHours(1);

    private final String redisUri;
    private final String elasticsearchUrl;
    private final ElasticsearchCredentials elasticsearchCredentials;
    private final ElasticsearchTls elasticsearchTls;
    private final List<IndexRule> rules;
    private final int batchSize;
    private List<String> rollupIndexes = List.of();

    private transient ExecutorService executor;
    // Markers received, by the checkpoint that followed them (-1: none yet); task thread only.
    private transient Map<Pending, Long> waiting;
    private transient Counter sweeps;
    private transient Counter deletes;

    /** Sweeps the indexes of {@code rules}, {@code batchSize} ids per scroll page and check. */
    public CatchUpSweep(
            String redisUri, String elasticsearchUrl, List<IndexRule> rules, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException(
                    "The sweep's batch size must be positive, was " + batchSize);
        }
        this.redisUri = redisUri;
        // Resolved here, where the job is built, as the sink's are: a TaskManager need not have
        // ES_PASSWORD or the secret files. Carried in the function object, not in a configuration.
        this.elasticsearchUrl = ElasticsearchUrls.withoutUserInfo(elasticsearchUrl);
        this.elasticsearchCredentials =
                ElasticsearchCredentials.of(elasticsearchUrl, System.getenv());
        this.elasticsearchTls = ElasticsearchTls.of(elasticsearchUrl, System.getenv());
        this.rules = List.copyOf(rules);
        this.batchSize = batchSize;
    }

    /**
     * After each sweep, also asks for every document of {@code indexes} (the rollup indexes) to be
     * refreshed from the job's state, with {@link DocumentAction#refresh} actions: a restored job
     * may find rollup documents it wrote after its checkpoint that its state no longer backs.
     */
    public CatchUpSweep withRollupIndexes(List<String> indexes) {
        this.rollupIndexes = List.copyOf(indexes);
        return this;
    }

    @Override
    public void open(Configuration parameters) {
        executor =
                Executors.newSingleThreadExecutor(
                        runnable -> {
                            Thread thread = new Thread(runnable, "catch-up-sweep");
                            thread.setDaemon(true);
                            return thread;
                        });
        waiting = new LinkedHashMap<>();
        sweeps = getRuntimeContext().getMetricGroup().counter("catchUpSweeps");
        deletes = getRuntimeContext().getMetricGroup().counter("catchUpSweepDeletes");
    }

    @Override
    public void asyncInvoke(RedisRecord marker, ResultFuture<DocumentAction> result) {
        if (!marker.isCatchUpMarker()) {
            result.complete(Collections.emptyList());
            return;
        }
        waiting.put(new Pending(marker, result), -1L);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        waiting.replaceAll(
                (pending, checkpoint) -> checkpoint < 0 ? context.getCheckpointId() : checkpoint);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // No state of its own: the AsyncWaitOperator checkpoints pending markers and replays them.
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        for (Iterator<Map.Entry<Pending, Long>> it = waiting.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Pending, Long> entry = it.next();
            if (entry.getValue() >= 0 && entry.getValue() <= checkpointId) {
                it.remove();
                Pending pending = entry.getKey();
                executor.execute(() -> run(pending));
            }
        }
    }

    @Override
    public void timeout(RedisRecord marker, ResultFuture<DocumentAction> result) {
        LOG.warn(
                "Skipped the sweep of {} after a catch-up: no checkpoint completed in time (is"
                        + " checkpointing on?). Documents of keys deleted during the gap may"
                        + " remain; `verify --repair` removes them.",
                marker.catchUpPatterns());
        waiting.keySet().removeIf(pending -> pending.result == result);
        result.complete(Collections.emptyList());
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void run(Pending pending) {
        try {
            List<DocumentAction> found = sweep(pending.marker.catchUpPatterns());
            sweeps.inc();
            deletes.inc(found.stream().filter(a -> a.getOp() == DocumentAction.Op.DELETE).count());
            pending.result.complete(found);
        } catch (RuntimeException e) {
            pending.result.completeExceptionally(e);
        }
    }

    /** Deletes for the documents of the indexes written by {@code globs} whose keys are gone. */
    List<DocumentAction> sweep(List<String> globs) {
        Set<String> swept = new HashSet<>(globs);
        Map<String, List<KeyPattern>> patternsByIndex = new LinkedHashMap<>();
        for (IndexRule rule : rules) {
            if (swept.contains(rule.pattern().glob())) {
                patternsByIndex.putIfAbsent(rule.index(), new ArrayList<>());
            }
        }
        // Every pattern that writes a swept index: an id is extra only if none of them has a key.
        for (IndexRule rule : rules) {
            if (patternsByIndex.containsKey(rule.index())) {
                patternsByIndex.get(rule.index()).add(rule.pattern());
            }
        }
        List<DocumentAction> actions = new ArrayList<>();
        long start = System.nanoTime();
        try (RedisKeyProbe redis = new RedisKeyProbe(redisUri);
                ElasticsearchDocuments es =
                        new ElasticsearchDocuments(
                                elasticsearchUrl, elasticsearchCredentials, elasticsearchTls)) {
            for (Map.Entry<String, List<KeyPattern>> entry : patternsByIndex.entrySet()) {
                String index = entry.getKey();
                ExtraDocuments extras = new ExtraDocuments(entry.getValue());
                int before = actions.size();
                es.refresh(index);
                es.scrollIds(
                        index,
                        batchSize,
                        ids -> {
                            ExtraDocuments.Found found = extras.find(ids, redis);
                            for (int i = 0; i < found.ids.size(); i++) {
                                actions.add(
                                        DocumentAction.delete(
                                                index,
                                                found.ids.get(i),
                                                found.timeMicros,
                                                found.keys.get(i)));
                            }
                        });
                LOG.info(
                        "Catch-up sweep of index {} ({}): {} documents of vanished keys to delete",
                        index,
                        entry.getValue(),
                        actions.size() - before);
            }
            if (!rollupIndexes.isEmpty()) {
                long version = redis.serverTimeMicros();
                for (String index : rollupIndexes) {
                    int before = actions.size();
                    es.refreshIfExists(index);
                    es.scrollIds(
                            index,
                            batchSize,
                            ids ->
                                    ids.forEach(
                                            id ->
                                                    actions.add(
                                                            DocumentAction.refresh(
                                                                    index, id, version))),
                            true);
                    LOG.info(
                            "Catch-up sweep: {} rollup documents of {} to refresh",
                            actions.size() - before,
                            index);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "The catch-up sweep of "
                            + patternsByIndex.keySet()
                            + " against "
                            + elasticsearchUrl
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
        LOG.info(
                "Catch-up sweep of {} done in {} ms",
                patternsByIndex.keySet(),
                (System.nanoTime() - start) / 1_000_000);
        return actions;
    }

    /** A marker whose sweep has not started, and where its deletes go. */
    private static final class Pending {
        final RedisRecord marker;
        final ResultFuture<DocumentAction> result;

        Pending(RedisRecord marker, ResultFuture<DocumentAction> result) {
            this.marker = marker;
            this.result = result;
        }
    }
}
