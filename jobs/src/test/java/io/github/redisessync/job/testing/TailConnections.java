package io.github.redisessync.job.testing;

import io.github.redisessync.connector.redis.source.RedisSource;
import io.lettuce.core.KillArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;

/**
 * Kills the pub/sub connections of one job's tail, and no one else's: a suite pointed at a user's
 * Redis ({@code REDIS_URL}) must not cut the user's own subscribers, nor another test's job, as
 * {@code CLIENT KILL TYPE pubsub} would. The source names each tail connection {@link
 * RedisSource#tailClientName(String) after its job}; this finds them in {@code CLIENT LIST} and
 * kills each by its id.
 */
public final class TailConnections {

    private TailConnections() {}

    /** Kills the tail connections of {@code job}; returns how many were killed. */
    public static long kill(RedisCommands<String, String> redis, JobID job) {
        long killed = 0;
        for (long id : ids(redis, job)) {
            killed += redis.clientKill(KillArgs.Builder.id(id));
        }
        return killed;
    }

    /** The client ids of the tail connections of {@code job} that are subscribed now. */
    public static List<Long> ids(RedisCommands<String, String> redis, JobID job) {
        String name = RedisSource.tailClientName(job.toString());
        List<Long> ids = new ArrayList<>();
        for (String line : redis.clientList().split("\n")) {
            Map<String, String> fields = fields(line);
            if (name.equals(fields.get("name"))) {
                ids.add(Long.parseLong(fields.get("id")));
            }
        }
        return ids;
    }

    /** One line of {@code CLIENT LIST}: space-separated {@code field=value} pairs. */
    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : line.trim().split(" ")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                fields.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return fields;
    }
}
