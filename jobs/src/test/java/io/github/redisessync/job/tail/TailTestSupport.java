package io.github.redisessync.job.tail;

import io.github.redisessync.testing.TestServices;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the tail tests share: loading hashes, awaiting Elasticsearch equal to Redis. */
final class TailTestSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TailTestSupport.class);

    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private TailTestSupport() {}

    /** Polls until the index equals Redis or the timeout; returns the last differences. */
    static String awaitConvergence(
            RedisAsyncCommands<String, String> redis, String prefix, String index)
            throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String differences;
        int polls = 0;
        do {
            Map<String, Map<String, String>> inRedis = TailOracle.redis(redis, prefix);
            Map<String, Map<String, String>> inIndex =
                    TailOracle.elasticsearch(TestServices.elasticsearch().url(), index);
            differences = TailOracle.differences(inRedis, inIndex);
            polls++;
            if (differences.isEmpty()) {
                LOG.info(
                        "Index {} equals Redis after {} polls: {} documents",
                        index,
                        polls,
                        inIndex.size());
                return differences;
            }
            LOG.info("Not converged yet: {}", differences);
        } while (System.nanoTime() < deadline);
        return differences;
    }

    /** Writes {@code count} hashes {@code prefix0 ..}, pipelined. */
    static void load(RedisAsyncCommands<String, String> redis, String prefix, int count) {
        List<RedisFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            pending.add(redis.hset(prefix + i, Map.of("name", "user " + i, "v", "initial")));
            if (pending.size() == 1000) {
                LettuceFutures.awaitAll(
                        Duration.ofSeconds(30), pending.toArray(new RedisFuture[0]));
                pending.clear();
            }
        }
        LettuceFutures.awaitAll(Duration.ofSeconds(30), pending.toArray(new RedisFuture[0]));
    }
}
