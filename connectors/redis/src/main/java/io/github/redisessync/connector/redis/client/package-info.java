/**
 * Reading Redis as the source reads it, for the source and for anything that must agree with it
 * ({@code verify}, the catch-up sweep, {@code reindex}): {@link
 * io.github.redisessync.connector.redis.client.RedisKeyReader} reads keys atomically, versioned
 * with the server's clock, through the one script that reads a key; {@link
 * io.github.redisessync.connector.redis.client.RedisChangeFeed} is the one subscription to their
 * changes. Nothing here knows of Flink's source interfaces.
 */
package io.github.redisessync.connector.redis.client;
