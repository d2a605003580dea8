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
    CHANNEL,
    /**
     * A change log on a Redis Stream: writers {@code XADD} an entry naming the changed key ({@code
     * key}) in the same atomic step as their write. Unlike pub/sub it can be replayed: the tail
     * checkpoints the last entry it handed on, and a restored job reads on from there instead of
     * rescanning.
     */
    STREAM
}
