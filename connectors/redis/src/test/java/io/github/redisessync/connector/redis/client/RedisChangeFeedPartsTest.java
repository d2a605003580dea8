package io.github.redisessync.connector.redis.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The change feed's pieces that need no server: glob matching, messages, notification flags. */
class RedisChangeFeedPartsTest {

    @Test
    void matchesGlobsAsRedisDoes() {
        assertThat(glob("user:*", "user:42")).isTrue();
        assertThat(glob("user:*", "order:42")).isFalse();
        assertThat(glob("u?er:[0-9]*", "user:7x")).isTrue();
        assertThat(glob("u?er:[^0-9]*", "user:7x")).isFalse();
        assertThat(glob("a\\*b", "a*b")).isTrue();
        assertThat(glob("a\\*b", "axb")).isFalse();
        assertThat(glob("*", "")).isTrue();
        assertThat(glob("it-*:user:*", "it-1:user:")).isTrue();
    }

    @Test
    void readsTheKeyOfAPlainOrAJsonMessage() {
        assertThat(key("user:1")).isEqualTo("user:1");
        assertThat(key("{\"version\":1712345678901234,\"key\":\"user:2\",\"op\":\"hset\"}"))
                .isEqualTo("user:2");
        // A hash-tagged key merely looks like JSON.
        assertThat(key("{user}:3")).isEqualTo("{user}:3");
        assertThat(key("{\"op\":\"del\"}")).isEqualTo("{\"op\":\"del\"}");
        assertThat(RedisChangeMessages.keyOf(new byte[0])).isNull();
    }

    @Test
    void namesTheNotificationFlagsThatAreMissing() {
        assertThat(RedisKeyspaceNotifications.missingFlags("")).isEqualTo("Kg$lshzxe");
        assertThat(RedisKeyspaceNotifications.missingFlags("AKE")).isEmpty();
        assertThat(RedisKeyspaceNotifications.missingFlags("Kh")).isEqualTo("g$lszxe");
        assertThat(RedisKeyspaceNotifications.missingFlags("Eg$lshzxe")).isEqualTo("K");
    }

    private static boolean glob(String pattern, String text) {
        return RedisGlob.matches(utf8(pattern), utf8(text));
    }

    private static String key(String message) {
        return new String(RedisChangeMessages.keyOf(utf8(message)), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
