package io.github.redisessync.connector.redis.source.split;

import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A split of {@code RedisSource}: the common base of the scan split and the tail split.
 *
 * <p>Splits are immutable and carry no credentials: readers take the connection settings from the
 * source's configuration, so checkpoints never hold a password.
 */
public abstract class RedisSourceSplit implements SourceSplit {

    private final String node;
    private final int database;

    protected RedisSourceSplit(String node, int database) {
        if (node == null || node.isEmpty()) {
            throw new IllegalArgumentException("A split needs the host:port of its node.");
        }
        if (database < 0) {
            throw new IllegalArgumentException(
                    "A split's database must not be negative, was " + database);
        }
        this.node = node;
        this.database = database;
    }

    /** Which kind of split this is. */
    public abstract RedisSplitKind kind();

    /** The node ({@code host:port}) this split reads; a Cluster has a split per master. */
    public String node() {
        return node;
    }

    /** The logical database this split reads. */
    public int database() {
        return database;
    }

    /**
     * {@code host:port/database}: the scan split and the tail split of one node and database share
     * it, and so share a reader (the reader's single thread keeps their records in read order).
     */
    public String nodeId() {
        return node + "/" + database;
    }

    public boolean isScanSplit() {
        return kind() == RedisSplitKind.SCAN;
    }

    /** This split as a scan split; fails when it is another kind. */
    public RedisScanSplit asScanSplit() {
        if (!isScanSplit()) {
            throw new IllegalStateException("Split " + splitId() + " is not a scan split.");
        }
        return (RedisScanSplit) this;
    }

    /** This split as a tail split; fails when it is another kind. */
    public RedisTailSplit asTailSplit() {
        if (kind() != RedisSplitKind.TAIL) {
            throw new IllegalStateException("Split " + splitId() + " is not a tail split.");
        }
        return (RedisTailSplit) this;
    }
}
