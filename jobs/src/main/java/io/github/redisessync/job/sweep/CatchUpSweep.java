package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.ElasticsearchCredentials;
import io.github.redisessync.connector.elasticsearch.ElasticsearchDocuments;
import io.github.redisessync.connector.elasticsearch.ElasticsearchTls;
import io.github.redisessync.connector.elasticsearch.ElasticsearchUrls;
import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import io.github.redisessync.job.mapping.IndexRule;
import io.github.redisessync.job.mapping.KeyPattern;
import io.github.redisessync.job.mapping.SyncAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sweep after a catch-up: for a {@link RedisRecord#catchUpFinished catch-up marker} of the
 * source, finds the documents of the marker's patterns whose keys no longer exist in Redis (keys
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
 * Elasticsearch URL, and stays a library. This class only does the I/O, blocking, on the caller's
 * thread; {@link CatchUpSweepOperator} decides when (after a checkpoint) and on which thread.
 */
public final class CatchUpSweep implements Sweeper {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpSweep.class);

    private final String redisUri;
    private final String elasticsearchUrl;
    private final ElasticsearchCredentials elasticsearchCredentials;
    private final ElasticsearchTls elasticsearchTls;
    private final List<IndexRule> rules;
    private final int batchSize;
    private List<String> rollupIndexes = List.of();

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
     * refreshed from the job's state, with {@link SyncAction#refresh} actions: a restored job may
     * find rollup documents it wrote after its checkpoint that its state no longer backs.
     */
    public CatchUpSweep withRollupIndexes(List<String> indexes) {
        this.rollupIndexes = List.copyOf(indexes);
        return this;
    }

    /** Deletes for the documents of the indexes written by {@code globs} whose keys are gone. */
    @Override
    public List<SyncAction> sweep(List<String> globs) {
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
        List<SyncAction> actions = new ArrayList<>();
        long start = System.nanoTime();
        Configuration redisConfig = new Configuration();
        redisConfig.set(RedisSourceOptions.URI, redisUri);
        try (RedisKeyReader redis = RedisKeyReader.open(redisConfig);
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
                                        SyncAction.write(
                                                DocumentAction.delete(
                                                        index,
                                                        found.ids.get(i),
                                                        found.timeMicros,
                                                        found.keys.get(i))));
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
                                                            SyncAction.refresh(
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
}
