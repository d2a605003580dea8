package io.github.redisessync.tools.local;

import io.github.redisessync.connector.redis.source.RedisClients;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The demo data of {@code local --demo N}: N hashes {@code user:<id>} and N hashes {@code
 * order:<id>}, with names in many scripts, ages, cities, amounts and timestamps. The same N gives
 * the same data on every run.
 */
public final class DemoDataset {
    private static final String[] FIRST_NAMES = {
        "Zoë", "José", "Łukasz", "Søren", "Ángel", "Chloé", "Jürgen", "Ngọc", "Dvořák", "Aiyana",
        "Mårten", "İlkay", "Noël", "Björk", "Ярослава", "李娜", "さくら", "Ana", "Mia", "Olu"
    };
    private static final String[] LAST_NAMES = {
        "Müller",
        "Álvarez",
        "Wróbel",
        "Ødegaard",
        "García",
        "Lefèvre",
        "Nguyễn",
        "Smith",
        "Kowalski",
        "Papadopoulos",
        "Öztürk",
        "Østergaard",
        "Šimková",
        "O'Brien",
        "Iyer"
    };
    private static final String[][] CITIES = {
        {"München", "DE"}, {"São Paulo", "BR"}, {"Kraków", "PL"}, {"Zürich", "CH"},
        {"Tōkyō", "JP"}, {"Reykjavík", "IS"}, {"Montréal", "CA"}, {"Malmö", "SE"},
        {"İstanbul", "TR"}, {"Lisboa", "PT"}, {"Dublin", "IE"}, {"Hà Nội", "VN"}
    };
    private static final String[] STATUSES = {"new", "paid", "shipped", "delivered", "cancelled"};
    private static final String[] CURRENCIES = {"EUR", "USD", "BRL", "JPY", "CHF"};
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final int PIPELINE = 1000;

    private DemoDataset() {}

    /** Writes the dataset with pipelined HSETs; returns the number of keys written. */
    public static long load(String redisUri, int users) {
        RedisClient client = RedisClients.create(redisUri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            // Pipelining: queue a batch of commands, send them in one write, await the replies.
            connection.setAutoFlushCommands(false);
            Random random = new Random(users);
            List<RedisFuture<?>> pending = new ArrayList<>(PIPELINE);
            for (int id = 1; id <= users; id++) {
                pending.add(redis.hset("user:" + id, user(random)));
                pending.add(redis.hset("order:" + id, order(random, users)));
                if (pending.size() >= PIPELINE) {
                    flush(connection, pending);
                }
            }
            flush(connection, pending);
            return 2L * users;
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    static Map<String, String> user(Random random) {
        String first = pick(random, FIRST_NAMES);
        String last = pick(random, LAST_NAMES);
        String[] city = CITIES[random.nextInt(CITIES.length)];
        Map<String, String> user = new LinkedHashMap<>();
        user.put("name", first + " " + last);
        user.put(
                "email",
                ascii(first).toLowerCase(Locale.ROOT)
                        + "."
                        + ascii(last).toLowerCase(Locale.ROOT)
                        + random.nextInt(1000)
                        + "@example.com");
        user.put("age", String.valueOf(18 + random.nextInt(70)));
        user.put("city", city[0]);
        user.put("country", city[1]);
        user.put("signup_at", EPOCH.plusSeconds(random.nextInt(60 * 86400)).toString());
        user.put("active", String.valueOf(random.nextInt(10) > 1));
        return user;
    }

    static Map<String, String> order(Random random, int users) {
        Map<String, String> order = new LinkedHashMap<>();
        order.put("user_id", String.valueOf(1 + random.nextInt(users)));
        order.put(
                "amount",
                String.format(Locale.ROOT, "%.2f", 1 + random.nextInt(50_000) / 100.0 * 3));
        order.put("currency", pick(random, CURRENCIES));
        order.put("status", pick(random, STATUSES));
        order.put("items", String.valueOf(1 + random.nextInt(9)));
        order.put("created_at", EPOCH.plusSeconds(random.nextInt(90 * 86400)).toString());
        return order;
    }

    private static void flush(
            StatefulRedisConnection<String, String> connection, List<RedisFuture<?>> pending) {
        connection.flushCommands();
        if (!LettuceFutures.awaitAll(30, TimeUnit.SECONDS, pending.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("Redis did not acknowledge demo writes within 30 s.");
        }
        pending.clear();
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String ascii(String name) {
        String plain =
                java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
                        .replaceAll("[^A-Za-z]", "");
        return plain.isEmpty() ? "user" : plain;
    }
}
