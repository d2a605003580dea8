package io.github.redisessync.connector.redis.source;

/** The Redis type of a key at the moment it was read, as {@code TYPE} reports it. */
public enum RedisDataType {
    STRING,
    HASH,
    LIST,
    SET,
    ZSET,
    /** A RedisJSON document ({@code TYPE} says {@code ReJSON-RL}). */
    JSON,
    STREAM,
    /** The key did not exist when it was read. */
    NONE,
    /** A type this source does not read (a module type other than RedisJSON). */
    UNKNOWN;

    /**
     * Maps the reply of {@code TYPE key} to a data type; unknown replies become {@link #UNKNOWN}.
     */
    public static RedisDataType fromTypeReply(String reply) {
        switch (reply) {
            case "string":
                return STRING;
            case "hash":
                return HASH;
            case "list":
                return LIST;
            case "set":
                return SET;
            case "zset":
                return ZSET;
            case "ReJSON-RL":
                return JSON;
            case "stream":
                return STREAM;
            case "none":
                return NONE;
            default:
                return UNKNOWN;
        }
    }
}
