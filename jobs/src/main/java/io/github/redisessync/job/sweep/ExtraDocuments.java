package io.github.redisessync.job.sweep;

import io.github.redisessync.connector.redis.client.RedisKeyReader;
import io.github.redisessync.job.mapping.KeyPattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Which document ids of one index have no key left in Redis: the extra-document pass of {@code
 * verify} and the job's catch-up sweep both ask it.
 *
 * <p>An id maps back to its candidate keys through each pattern that writes the index ({@link
 * KeyPattern#keysFor}); it is extra when none of them exists. The existence checks run after a
 * {@code TIME} read, so a delete versioned with that time loses to any re-creation of the key,
 * whose read is necessarily later.
 */
public final class ExtraDocuments {
    private final List<KeyPattern> patterns;

    /** For an index written by {@code patterns}. */
    public ExtraDocuments(List<KeyPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** The ids among {@code ids} none of whose keys exists, checked in one pipelined round. */
    public Found find(List<String> ids, RedisKeyReader redis) {
        List<String> candidates = new ArrayList<>();
        int[] ends = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            for (KeyPattern pattern : patterns) {
                candidates.addAll(pattern.keysFor(ids.get(i)));
            }
            ends[i] = candidates.size();
        }
        RedisKeyReader.Existence check;
        try {
            List<byte[]> keys = new ArrayList<>(candidates.size());
            candidates.forEach(key -> keys.add(key.getBytes(StandardCharsets.UTF_8)));
            check = redis.exists(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Found found = new Found(check.timeMicros());
        int from = 0;
        for (int i = 0; i < ids.size(); i++) {
            boolean exists = false;
            for (int c = from; c < ends[i]; c++) {
                exists |= check.exists(c);
            }
            if (!exists) {
                // The key the document would have come from, for logs; the id when none maps back.
                found.add(ids.get(i), from < ends[i] ? candidates.get(from) : ids.get(i));
            }
            from = ends[i];
        }
        return found;
    }

    /** The extra ids of a batch, a key each, and the Redis time (µs) read before the checks. */
    public static final class Found {
        public final long timeMicros;
        public final List<String> ids = new ArrayList<>();
        public final List<String> keys = new ArrayList<>();

        Found(long timeMicros) {
            this.timeMicros = timeMicros;
        }

        void add(String id, String key) {
            ids.add(id);
            keys.add(key);
        }
    }
}
