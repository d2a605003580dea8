package io.github.redisessync.connector.redis.source.split;

/**
 * The kinds of split, one per phase of the source, and the tag that marks each in serialized form.
 *
 * <p>The phases: a {@link #SCAN} split per node and database walks the keyspace with SCAN and reads
 * every matching key once; it is bounded and its checkpointed state is the SCAN position, so a
 * restore resumes the walk instead of starting over. A {@link #TAIL} split per node and database
 * holds the pub/sub subscription; it is opened before the scan starts, never finishes, and turns
 * each notification into a re-read of the key. A gap in the tail (disconnect, buffer overflow,
 * restore) triggers a catch-up scan. A bounded source has scan splits only.
 *
 * <p>Both splits of a node go to the same reader, which subscribes before its first SCAN and then
 * interleaves batches of changed keys with batches of the scan, on one thread, in read order.
 */
public enum RedisSplitKind {
    SCAN((byte) 1),
    TAIL((byte) 2);

    private final byte tag;

    RedisSplitKind(byte tag) {
        this.tag = tag;
    }

    /** The byte that marks this kind in {@link RedisSplitSerializer}'s layout; never reuse one. */
    public byte tag() {
        return tag;
    }
}
