package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.source.split.RedisSourceSplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherManager;

/**
 * One fetcher thread, with a {@link RedisSplitReader} of its own, per node and database: the scan
 * and tail splits of one node share a fetcher (its single thread keeps their records in read
 * order), and the nodes of a Redis Cluster that one subtask owns are read in parallel, each on its
 * own connections. A standalone server has one node, so one fetcher, as before.
 */
final class RedisSplitFetcherManager
        extends SplitFetcherManager<RedisSplitElement, RedisSourceSplit> {

    // Guarded by this; a fetcher that shut down (idle, its splits finished) is replaced.
    private final Map<String, SplitFetcher<RedisSplitElement, RedisSourceSplit>> byNode =
            new HashMap<>();

    RedisSplitFetcherManager(
            Supplier<RedisSplitReader> splitReaderSupplier, Configuration configuration) {
        super(splitReaderSupplier::get, configuration);
    }

    @Override
    public synchronized void addSplits(List<RedisSourceSplit> splitsToAdd) {
        Map<String, List<RedisSourceSplit>> grouped = new LinkedHashMap<>();
        for (RedisSourceSplit split : splitsToAdd) {
            grouped.computeIfAbsent(split.nodeId(), k -> new ArrayList<>()).add(split);
        }
        grouped.forEach(
                (nodeId, splits) -> {
                    SplitFetcher<RedisSplitElement, RedisSourceSplit> fetcher = byNode.get(nodeId);
                    if (fetcher != null && fetchers.containsValue(fetcher)) {
                        fetcher.addSplits(splits);
                    } else {
                        fetcher = createSplitFetcher();
                        byNode.put(nodeId, fetcher);
                        fetcher.addSplits(splits);
                        startFetcher(fetcher);
                    }
                });
    }

    @Override
    public synchronized void removeSplits(List<RedisSourceSplit> splitsToRemove) {
        throw new UnsupportedOperationException(
                "Redis splits are never removed, got " + splitsToRemove);
    }
}
