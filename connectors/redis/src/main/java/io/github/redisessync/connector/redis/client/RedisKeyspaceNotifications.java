package io.github.redisessync.connector.redis.client;

import io.github.redisessync.connector.redis.source.RedisSourceOptions;
import java.io.IOException;
import java.util.Map;
import javax.annotation.Nullable;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, and when allowed sets, the server's {@code notify-keyspace-events} for the keyspace tail.
 *
 * <p>The flags needed, {@value #REQUIRED}: {@code K} (events on {@code __keyspace@<db>__:<key>},
 * whose channel names the key), {@code g} (DEL, UNLINK, EXPIRE, RENAME, COPY, RESTORE...), {@code $
 * l s h z} (writes to strings, lists, sets, hashes and sorted sets, the types the source reads),
 * {@code x} (a key expired) and {@code e} (a key evicted). {@code KEA} covers them all. Not needed:
 * {@code E} (key-event channels), {@code n} (new key: every creation also sends its type's event),
 * {@code m} (key misses), {@code t} and {@code d} (streams, module types: not read yet).
 */
public final class RedisKeyspaceNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(RedisKeyspaceNotifications.class);

    static final String REQUIRED = "Kg$lshzxe";
    private static final String ALL_ALIAS = "g$lshzxetd";
    private static final String SETTING = "notify-keyspace-events";

    private RedisKeyspaceNotifications() {}

    /**
     * Fails with {@link IllegalStateException} naming the setting, its value and the value to set
     * when flags are missing; with {@code tail.configure-notifications} sets them instead. On a
     * Redis Cluster, on every primary: each sends the notifications of its own keys only.
     */
    public static void ensure(ReadableConfig config, int database) throws IOException {
        RedisTopology topology = RedisTopology.discover(config);
        if (!topology.isCluster()) {
            ensure(config, null, database);
            return;
        }
        for (RedisTopology.Primary primary : topology.primaries()) {
            ensure(config, primary.address(), database);
        }
    }

    /**
     * {@link #ensure(ReadableConfig, int)} on {@code node} ({@code host:port}; null: the URI's).
     */
    public static void ensure(ReadableConfig config, @Nullable String node, int database)
            throws IOException {
        try (RedisConnection connection = RedisConnection.open(config, node, database)) {
            Map<String, String> reply =
                    connection.call(connection.async().configGet(SETTING), "CONFIG GET " + SETTING);
            String current = reply.values().stream().findFirst().orElse("");
            String missing = missingFlags(current);
            if (missing.isEmpty()) {
                LOG.info(
                        "{} is '{}' on {}: enough for the keyspace tail.",
                        SETTING,
                        current,
                        connection.description());
                return;
            }
            String wanted = current + missing;
            if (!config.get(RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS)) {
                throw new IllegalStateException(
                        "Redis at "
                                + connection.description()
                                + " has "
                                + SETTING
                                + " '"
                                + current
                                + "', which lacks '"
                                + missing
                                + "' that the keyspace tail needs: run CONFIG SET "
                                + SETTING
                                + " "
                                + wanted
                                + " (KEA covers all), or set "
                                + RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS.key()
                                + " to let the source set it.");
            }
            connection.call(connection.async().configSet(SETTING, wanted), "CONFIG SET " + SETTING);
            LOG.info(
                    "Set {} from '{}' to '{}' on {}, as {} allows.",
                    SETTING,
                    current,
                    wanted,
                    connection.description(),
                    RedisSourceOptions.TAIL_CONFIGURE_NOTIFICATIONS.key());
        }
    }

    /** The required flags that {@code current} (as CONFIG GET prints it) lacks, in order. */
    static String missingFlags(String current) {
        String flags = current.replace("A", ALL_ALIAS);
        StringBuilder missing = new StringBuilder();
        for (char flag : REQUIRED.toCharArray()) {
            if (flags.indexOf(flag) < 0) {
                missing.append(flag);
            }
        }
        return missing.toString();
    }
}
