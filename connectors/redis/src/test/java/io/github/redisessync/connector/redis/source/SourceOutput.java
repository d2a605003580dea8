package io.github.redisessync.connector.redis.source;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.util.CloseableIterator;

/**
 * What a running source emitted, as its consumer would apply it: the newest record of each key, and
 * the newest catch-up marker, after which a sweep removes the copies of keys that are gone.
 */
final class SourceOutput {

    private final Map<String, RedisRecord> latest = new ConcurrentHashMap<>();
    private final AtomicLong sweptBefore = new AtomicLong(-1);
    private final Thread thread;

    /** Collects from {@code it} on a thread of its own until the job ends or it is closed. */
    SourceOutput(CloseableIterator<RedisRecord> it) {
        thread =
                new Thread(
                        () -> {
                            try {
                                while (it.hasNext()) {
                                    add(it.next());
                                }
                            } catch (RuntimeException e) {
                                // The iterator was closed: the job is cancelled.
                            }
                        },
                        "source-output-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void add(RedisRecord record) {
        if (record.isCatchUpMarker()) {
            sweptBefore.accumulateAndGet(record.getVersion(), Math::max);
            return;
        }
        latest.merge(
                new String(record.getKey(), StandardCharsets.UTF_8),
                record,
                (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
    }

    /** The number of keys with a record. */
    int size() {
        return latest.size();
    }

    /**
     * Whether the consumer's copy of {@code key} is {@code value}: the newest record's value, or
     * for {@code null} (no key) no copy: no record, a delete, or one older than a sweep's marker.
     */
    boolean holds(String key, String value) {
        RedisRecord record = latest.get(key);
        if (value == null) {
            return record == null
                    || record.getOp() == RedisRecord.Op.DELETE
                    || record.getVersion() < sweptBefore.get();
        }
        return record != null
                && record.getOp() == RedisRecord.Op.UPSERT
                && value.equals(new String(record.getValues()[0], StandardCharsets.UTF_8));
    }

    void join() throws InterruptedException {
        thread.join(Duration.ofSeconds(30).toMillis());
    }
}
