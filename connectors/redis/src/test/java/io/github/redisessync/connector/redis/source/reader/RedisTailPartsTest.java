package io.github.redisessync.connector.redis.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tail's pieces that need no server: the change buffer and the expiry checks. */
class RedisTailPartsTest {

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

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
