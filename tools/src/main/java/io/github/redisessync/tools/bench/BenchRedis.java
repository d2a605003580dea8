package io.github.redisessync.tools.bench;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** How the benchmarks load and remove their keys: a thousand commands in flight at a time. */
final class BenchRedis {
    private static final int IN_FLIGHT = 1000;

    private BenchRedis() {}

    /** Sends {@code command} for keys 0 to {@code keys - 1} and waits for every answer. */
    static void forEachKey(int keys, IntFunction<RedisFuture<?>> command) {
        List<RedisFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            pending.add(command.apply(i));
            if (pending.size() == IN_FLIGHT) {
                awaitAll(pending);
            }
        }
        awaitAll(pending);
    }

    private static void awaitAll(List<RedisFuture<?>> pending) {
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(60), pending.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not answer within 60 s");
        }
        pending.clear();
    }
}
