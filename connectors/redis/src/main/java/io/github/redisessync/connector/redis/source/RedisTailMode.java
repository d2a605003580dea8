package io.github.redisessync.connector.redis.source;

/** How the source learns which keys changed after (and while) it scans: its tail. */
public enum RedisTailMode {
    /** No tail: the source reads one snapshot and finishes. */
    NONE,
    /**
     * Keyspace notifications, {@code PSUBSCRIBE __keyspace@<db>__:<pattern>}: every write Redis
     * makes (commands, expiry, eviction) marks its key dirty. Needs {@code notify-keyspace-events}.
     */
    KEYSPACE,
    /**
     * An application channel: writers {@code PUBLISH} the key they changed, or a JSON change record
     * naming it, on a channel of their choice; see {@code RedisChangePublisher}.
     */
    CHANNEL
}
