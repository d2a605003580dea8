package io.github.redisessync.connector.redis.source.reader;

import io.github.redisessync.connector.redis.client.RedisConnection;
import io.github.redisessync.connector.redis.source.split.RedisScanSplit;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A SCAN pass over a list of key patterns, one pattern after another, with its position. */
final class RedisKeyScan {

    private final List<String> patterns;
    private int patternIndex;
    private String cursor;

    RedisKeyScan(List<String> patterns, int patternIndex, String cursor) {
        this.patterns = List.copyOf(patterns);
        this.patternIndex = patternIndex;
        this.cursor = cursor;
    }

    /** A pass from the start. */
    static RedisKeyScan fromStart(List<String> patterns) {
        return new RedisKeyScan(patterns, 0, RedisScanSplit.INITIAL_CURSOR);
    }

    /**
     * Calls SCAN until about {@code batchSize} keys came back, the pass ends, or {@code stop} says
     * so; returns the keys (a key may come twice, as SCAN promises no more).
     */
    List<byte[]> next(
            RedisConnection connection, int batchSize, int scanCount, BooleanSupplier stop)
            throws IOException {
        List<byte[]> keys = new ArrayList<>();
        while (!isFinished() && keys.size() < batchSize && !stop.getAsBoolean()) {
            String pattern = patterns.get(patternIndex);
            ScanArgs args =
                    ScanArgs.Builder.matches(pattern.getBytes(StandardCharsets.UTF_8))
                            .limit(scanCount);
            KeyScanCursor<byte[]> page =
                    connection.call(
                            connection.async().scan(ScanCursor.of(cursor), args),
                            "SCAN " + cursor + " MATCH " + pattern);
            keys.addAll(page.getKeys());
            if (page.isFinished()) {
                patternIndex++;
                cursor = RedisScanSplit.INITIAL_CURSOR;
            } else {
                cursor = page.getCursor();
            }
        }
        return keys;
    }

    boolean isFinished() {
        return patternIndex >= patterns.size();
    }

    int patternIndex() {
        return patternIndex;
    }

    String cursor() {
        return cursor;
    }
}
