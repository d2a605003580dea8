package io.github.redisessync.connector.redis.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Tests {@link RedisUris}: credentials never reach a message. */
class RedisUrisTest {

    @Test
    void redactsUserAndPassword() {
        assertThat(RedisUris.redact("redis://user:pw@host:6379/1"))
                .isEqualTo("redis://***@host:6379/1");
        assertThat(RedisUris.redact("rediss://:pw@host")).isEqualTo("rediss://***@host");
        assertThat(RedisUris.redact("redis://host:6379")).isEqualTo("redis://host:6379");
    }

    @Test
    void describesAParsedUriWithoutCredentials() {
        assertThat(RedisUris.describe(RedisUris.parse("redis://user:pw@host:6390/3")))
                .isEqualTo("redis://host:6390/3");
        assertThat(RedisUris.describe(RedisUris.parse("rediss://:pw@host")))
                .isEqualTo("rediss://host:6379/0");
    }
}
