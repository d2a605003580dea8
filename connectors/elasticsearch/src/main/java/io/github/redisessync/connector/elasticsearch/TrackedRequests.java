package io.github.redisessync.connector.elasticsearch;

import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.index.IndexRequest;

/**
 * Bulk requests that remember the Redis key they came from.
 *
 * <p>A failed bulk item names only index and id; the key (which the id cannot be turned back into)
 * and the version travel on the request object itself, which the bulk processor hands back
 * unchanged to the listener, also after it retried some items.
 */
public final class TrackedRequests {

    private TrackedRequests() {}

    /** A write that knows its Redis key and version. */
    public interface Tracked {
        String redisKey();

        long documentVersion();
    }

    /** An index request with its key. */
    public static final class Index extends IndexRequest implements Tracked {
        private final String redisKey;

        Index(String index, String redisKey) {
            super(index);
            this.redisKey = redisKey;
        }

        @Override
        public String redisKey() {
            return redisKey;
        }

        @Override
        public long documentVersion() {
            return version();
        }
    }

    /** A delete request with its key. */
    public static final class Delete extends DeleteRequest implements Tracked {
        private final String redisKey;

        Delete(String index, String id, String redisKey) {
            super(index, id);
            this.redisKey = redisKey;
        }

        @Override
        public String redisKey() {
            return redisKey;
        }

        @Override
        public long documentVersion() {
            return version();
        }
    }
}
