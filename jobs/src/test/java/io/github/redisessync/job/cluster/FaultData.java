package io.github.redisessync.job.cluster;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Users and orders shaped as the demo's ({@code conf/mappings/users.json}, {@code orders.json}),
 * under a key prefix of one test's own, made by the test rather than by the product's {@code
 * DemoDataset} so that the data the oracle checks does not come from the code under test.
 *
 * <p>Every {@code created_at} lies within {@link #SPAN} after {@link #T0}: the demo rollup {@code
 * orders_per_minute} closes a window once the greatest time seen passes its end by the allowed
 * lateness (10 min), and freezes it by design. With the demo's 90 days of orders, almost every
 * change to an order would land in a closed window and be dropped, and the rollups could no longer
 * be compared with the live aggregation; within 8 minutes no window ever closes.
 */
final class FaultData {
    static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    static final Duration SPAN = Duration.ofMinutes(8);

    private static final String[] NAMES = {"Zoë Müller", "José Álvarez", "Søren Ødegaard", "李娜"};
    private static final String[] CITIES = {
        "München", "São Paulo", "Kraków", "Zürich", "Tōkyō", "Reykjavík", "Malmö", "Lisboa"
    };
    private static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};

    private final String prefix;
    private final int users;
    private final int orders;

    /** Keys {@code <prefix>:user:1..users} and {@code <prefix>:order:1..orders}. */
    FaultData(String prefix, int users, int orders) {
        this.prefix = prefix;
        this.users = users;
        this.orders = orders;
    }

    String prefix() {
        return prefix;
    }

    String userPattern() {
        return prefix + ":user:{id}";
    }

    String orderPattern() {
        return prefix + ":order:{id}";
    }

    /** The key of user {@code id}; {@code userKey("")} is the prefix of them all. */
    String userKey(Object id) {
        return prefix + ":user:" + id;
    }

    String orderKey(Object id) {
        return prefix + ":order:" + id;
    }

    /** The change stream of a stream-tail case, outside the users' and orders' patterns. */
    String stream() {
        return prefix + ":changes";
    }

    int users() {
        return users;
    }

    int orders() {
        return orders;
    }

    static Map<String, String> user(SplittableRandom random) {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("name", NAMES[random.nextInt(NAMES.length)] + " " + random.nextInt(1000));
        user.put("email", "u" + random.nextInt(1_000_000) + "@example.com");
        user.put("age", String.valueOf(18 + random.nextInt(70)));
        user.put("city", CITIES[random.nextInt(CITIES.length)]);
        user.put("active", String.valueOf(random.nextBoolean()));
        return user;
    }

    static Map<String, String> order(SplittableRandom random, int users) {
        Map<String, String> order = new LinkedHashMap<>();
        order.put("user_id", String.valueOf(1 + random.nextInt(users)));
        order.put("amount", amount(random));
        order.put("status", STATUSES[random.nextInt(STATUSES.length)]);
        order.put("items", String.valueOf(1 + random.nextInt(9)));
        order.put("created_at", createdAt(random));
        return order;
    }

    static String city(SplittableRandom random) {
        return CITIES[random.nextInt(CITIES.length)];
    }

    static String status(SplittableRandom random) {
        return STATUSES[random.nextInt(STATUSES.length)];
    }

    /** Two decimals, as a shop writes prices. */
    static String amount(SplittableRandom random) {
        return String.format(Locale.ROOT, "%.2f", 1 + random.nextInt(100_000) / 100.0);
    }

    static String createdAt(SplittableRandom random) {
        return T0.plusMillis(random.nextLong(SPAN.toMillis())).toString();
    }

    /** Writes every user and order with pipelined HSETs. */
    void load(String redisUri) {
        RedisClient client = RedisClient.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            SplittableRandom random = new SplittableRandom(users * 31L + orders);
            List<RedisFuture<?>> pending = new ArrayList<>();
            for (int id = 1; id <= Math.max(users, orders); id++) {
                if (id <= users) {
                    pending.add(redis.hset(userKey(id), user(random)));
                }
                if (id <= orders) {
                    pending.add(redis.hset(orderKey(id), order(random, users)));
                }
                if (pending.size() >= 1000 || id == Math.max(users, orders)) {
                    connection.flushCommands();
                    if (!LettuceFutures.awaitAll(
                            30, TimeUnit.SECONDS, pending.toArray(new RedisFuture[0]))) {
                        throw new IllegalStateException("Redis did not take the data in 30 s.");
                    }
                    pending.clear();
                }
            }
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
