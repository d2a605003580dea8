package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPatternTest {

    @Test
    void takesTheDocumentIdFromTheSingleWildcard() {
        KeyPattern users = KeyPattern.of("user:*");
        assertThat(users.matches("user:42")).isTrue();
        assertThat(users.documentId("user:42")).isEqualTo("42");
        assertThat(users.documentId("user:a:b")).isEqualTo("a:b");
        assertThat(users.matches("order:42")).isFalse();
        assertThat(users.matches("xuser:42")).isFalse();
    }

    @Test
    void keepsTheWholeKeyWhenThePatternHasSeveralWildcardsAndNoIdForAnEmptyMatch() {
        assertThat(KeyPattern.of("cart:*:*").documentId("cart:7:9")).isEqualTo("cart:7:9");
        assertThat(KeyPattern.of("config").documentId("config")).isEqualTo("config");
        assertThat(KeyPattern.of("user:*").documentId("user:")).isNull();
    }

    @Test
    void matchesLikeRedisGlobs() {
        assertThat(KeyPattern.of("h?llo").matches("hello")).isTrue();
        assertThat(KeyPattern.of("h?llo").matches("heello")).isFalse();
        assertThat(KeyPattern.of("h[ae]llo").matches("hallo")).isTrue();
        assertThat(KeyPattern.of("h[ae]llo").matches("hillo")).isFalse();
        assertThat(KeyPattern.of("h[^e]llo").matches("hallo")).isTrue();
        assertThat(KeyPattern.of("h[^e]llo").matches("hello")).isFalse();
        assertThat(KeyPattern.of("h[a-c]llo").matches("hbllo")).isTrue();
        assertThat(KeyPattern.of("h[a-c]llo").matches("hdllo")).isFalse();
        assertThat(KeyPattern.of("a\\*b").matches("a*b")).isTrue();
        assertThat(KeyPattern.of("a\\*b").matches("axb")).isFalse();
        // Regex metacharacters in keys are literals.
        assertThat(KeyPattern.of("k.(1)+*").matches("k.(1)+x")).isTrue();
        assertThat(KeyPattern.of("k.(1)+*").matches("kx(1)+x")).isFalse();
        assertThat(KeyPattern.of("user:*").matches("user:line\nbreak")).isTrue();
    }

    @Test
    void rejectsAnUnclosedSetNamingThePattern() {
        assertThatThrownBy(() -> KeyPattern.of("user:[ab"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'user:[ab'");
        assertThatThrownBy(() -> KeyPattern.of(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void findsTheKeysOfADocumentId() {
        assertThat(KeyPattern.of("user:*").keysFor("42")).containsExactly("user:42");
        assertThat(KeyPattern.of("user:*:profile").keysFor("7")).containsExactly("user:7:profile");
        assertThat(KeyPattern.of("a\\*b:*").keysFor("x")).containsExactly("a*b:x");
        // Ids that are whole keys, for patterns with several wildcards.
        assertThat(KeyPattern.of("cart:*:*").keysFor("cart:1:2")).containsExactly("cart:1:2");
        assertThat(KeyPattern.of("user:*").keysFor("user:")).containsExactly("user:user:");
        assertThat(KeyPattern.of("user:*").keysFor("order:1")).containsExactly("user:order:1");
        assertThat(KeyPattern.of("h?llo").keysFor("hello")).containsExactly("hello");
    }
}
