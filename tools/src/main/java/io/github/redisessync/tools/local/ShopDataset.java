package io.github.redisessync.tools.local;

import io.github.redisessync.connector.redis.source.RedisClients;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The data of {@code conf/shop.yaml} ({@code local --demo N --dataset shop}): N users (hashes), N
 * orders (hashes with their lines as a JSON field), N products (JSON strings) and N sessions
 * (hashes under composite keys {@code session:<user>:<sid>}). The same N gives the same data.
 */
public final class ShopDataset {
    private static final String[] NAMES = {
        "Zoë Müller", "José Álvarez", "Łukasz Wróbel", "李娜", "Søren Ødegaard", "Ana Iyer"
    };
    private static final String[] CITIES = {"München", "São Paulo", "Kraków", "Zürich", "Tōkyō"};
    private static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};
    private static final String[] DEVICES = {"ios", "android", "desktop"};
    private static final String[] TAGS = {"eco", "sale", "new", "bestseller", "gift"};
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final int PIPELINE = 1000;

    private ShopDataset() {}

    /** Writes the dataset with pipelined commands; returns the number of keys written. */
    public static long load(String redisUri, int n) {
        RedisClient client = RedisClients.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            Random random = new Random(n);
            List<RedisFuture<?>> pending = new ArrayList<>(PIPELINE);
            for (int id = 1; id <= n; id++) {
                pending.add(redis.hset("user:" + id, user(random)));
                pending.add(redis.hset("order:" + id, order(random, n)));
                pending.add(redis.set("product:sku-" + id, product(random, id)));
                pending.add(
                        redis.hset(
                                "session:" + (1 + random.nextInt(n)) + ":s" + id, session(random)));
                if (pending.size() >= PIPELINE) {
                    flush(connection, pending);
                }
            }
            flush(connection, pending);
            return 4L * n;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    static Map<String, String> user(Random random) {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("name", NAMES[random.nextInt(NAMES.length)]);
        user.put("email", "user" + random.nextInt(1_000_000) + "@example.com");
        user.put("password_hash", "$2b$12$" + Long.toHexString(random.nextLong()));
        user.put("city", CITIES[random.nextInt(CITIES.length)]);
        user.put(
                "birth_date",
                LocalDate.of(
                                1950 + random.nextInt(55),
                                1 + random.nextInt(12),
                                1 + random.nextInt(28))
                        .toString());
        user.put("signup_at", EPOCH.plusSeconds(random.nextInt(60 * 86400)).toString());
        user.put("vip", String.valueOf(random.nextInt(10) == 0));
        return user;
    }

    static Map<String, String> order(Random random, int n) {
        Map<String, String> order = new LinkedHashMap<>();
        int lines = 1 + random.nextInt(3);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < lines; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"sku-")
                    .append(1 + random.nextInt(n))
                    .append("\",\"quantity\":")
                    .append(1 + random.nextInt(4))
                    .append('}');
        }
        order.put("user_id", String.valueOf(1 + random.nextInt(n)));
        order.put("amount", String.format(Locale.ROOT, "%.2f", 1 + random.nextInt(50_000) / 100.0));
        order.put("currency", "EUR");
        order.put("status", STATUSES[random.nextInt(STATUSES.length)]);
        order.put("created_at", EPOCH.plusSeconds(random.nextInt(90 * 86400)).toString());
        order.put("lines", json.append(']').toString());
        return order;
    }

    static String product(Random random, int id) {
        return String.format(
                Locale.ROOT,
                "{\"name\":\"Product %d\",\"price\":%.2f,\"stock\":%d,\"tags\":[\"%s\",\"%s\"],"
                        + "\"updated_at\":%d}",
                id,
                1 + random.nextInt(20_000) / 100.0,
                random.nextInt(500),
                TAGS[random.nextInt(TAGS.length)],
                TAGS[random.nextInt(TAGS.length)],
                EPOCH.plusSeconds(random.nextInt(30 * 86400)).toEpochMilli());
    }

    static Map<String, String> session(Random random) {
        Map<String, String> session = new LinkedHashMap<>();
        session.put("device", DEVICES[random.nextInt(DEVICES.length)]);
        session.put("pages", String.valueOf(1 + random.nextInt(40)));
        session.put(
                "started_at",
                String.valueOf(EPOCH.plusSeconds(random.nextInt(90 * 86400)).getEpochSecond()));
        return session;
    }

    private static void flush(
            StatefulRedisConnection<String, String> connection, List<RedisFuture<?>> pending) {
        connection.flushCommands();
        if (!LettuceFutures.awaitAll(30, TimeUnit.SECONDS, pending.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not acknowledge shop writes within 30 s.");
        }
        pending.clear();
    }
}
