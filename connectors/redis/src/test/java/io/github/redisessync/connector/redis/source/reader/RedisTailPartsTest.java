package io.github.redisessync.connector.redis.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tail's pieces that need no server: glob matching, messages, buffer, expiry, flags. */
class RedisTailPartsTest {

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
    void buffersEachKeyOnceAndRemembersAnOverflow() {
        RedisChangeBuffer buffer = new RedisChangeBuffer(2);

        assertThat(buffer.offer(utf8("a"))).isTrue();
        assertThat(buffer.offer(utf8("a"))).isTrue();
        assertThat(buffer.offer(utf8("b"))).isTrue();
        assertThat(buffer.offer(utf8("c"))).isFalse();

        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.takeOverflow()).isTrue();
        assertThat(buffer.takeOverflow()).isFalse();
        List<byte[]> drained = buffer.drain(10);
        assertThat(drained).extracting(RedisTailPartsTest::text).containsExactly("a", "b");
        assertThat(buffer.isEmpty()).isTrue();
    }

    @Test
    void handsOutExpiryChecksWhenDueAndStaysBounded() {
        RedisExpiryChecks checks = new RedisExpiryChecks(2);

        assertThat(checks.schedule(utf8("late"), 1_000, 0)).isTrue();
        assertThat(checks.schedule(utf8("soon"), 10, 0)).isTrue();
        assertThat(checks.schedule(utf8("dropped"), 10, 0)).isFalse();

        assertThat(checks.due(5_000_000, 10)).isEmpty();
        assertThat(checks.due(100_000_000, 10))
                .extracting(RedisTailPartsTest::text)
                .containsExactly("soon");
        assertThat(checks.dropped()).isEqualTo(1);
        assertThat(checks.size()).isEqualTo(1);
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
        return text(RedisChangeMessages.keyOf(utf8(message)));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
