package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HashMappingTest {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final IndexDefinition USERS =
            IndexDefinition.parse(
                    "{\"mappings\":{\"properties\":{\"age\":{\"type\":\"integer\"},"
                            + "\"score\":{\"type\":\"double\"},\"active\":{\"type\":\"boolean\"},"
                            + "\"signup_at\":{\"type\":\"date\"}}}}",
                    "users.json");

    private final RecordMapper mapper =
            new RecordMapper(
                    List.of(
                            new IndexRule(KeyPattern.of("user:*"), "users", USERS),
                            new IndexRule(
                                    KeyPattern.of("order:*"),
                                    "orders",
                                    IndexDefinition.dynamic())));

    @Test
    void mapsAHashToADocumentTypedByTheMapping() throws Exception {
        MappingResult result =
                mapper.map(
                        hash(
                                "user:42",
                                "name",
                                "Zoë Müller",
                                "age",
                                "42",
                                "score",
                                "3.50",
                                "active",
                                "true",
                                "signup_at",
                                "2024-02-29T10:00:00Z",
                                "zip",
                                "00042",
                                "note",
                                ""));

        assertThat(result.isDocument()).isTrue();
        DocumentAction doc = result.document();
        assertThat(doc.getIndex()).isEqualTo("users");
        assertThat(doc.getId()).isEqualTo("42");
        assertThat(doc.getOp()).isEqualTo(DocumentAction.Op.INDEX);
        assertThat(doc.getVersion()).isEqualTo(1_700_000_000_000_000L);
        String json = new String(doc.getSource(), StandardCharsets.UTF_8);
        assertThat(json)
                .isEqualTo(
                        "{\"name\":\"Zoë Müller\",\"age\":42,\"score\":3.50,\"active\":true,"
                                + "\"signup_at\":\"2024-02-29T10:00:00Z\",\"zip\":\"00042\","
                                + "\"note\":\"\"}");
        JsonNode parsed = JSON.readTree(doc.getSource());
        assertThat(parsed.get("age").isNumber()).isTrue();
        assertThat(parsed.get("zip").isTextual()).isTrue();
    }

    @Test
    void aVanishedKeyBecomesADelete() {
        RedisRecord gone = RedisRecord.delete("order:7".getBytes(StandardCharsets.UTF_8), 5L, 0);
        DocumentAction doc = mapper.map(gone).document();
        assertThat(doc.getOp()).isEqualTo(DocumentAction.Op.DELETE);
        assertThat(doc.getIndex()).isEqualTo("orders");
        assertThat(doc.getId()).isEqualTo("7");
        assertThat(doc.getVersion()).isEqualTo(5L);
    }

    @Test
    void deadLettersAValueOfTheWrongTypeNamingKeyAndField() {
        MappingResult result = mapper.map(hash("user:1", "name", "Ana", "age", "old"));
        assertThat(result.isDocument()).isFalse();
        DeadLetter letter = result.deadLetter();
        assertThat(letter.getKey()).isEqualTo("user:1");
        assertThat(letter.getIndex()).isEqualTo("users");
        assertThat(letter.getReason()).contains("'age'", "'old'", "integer");
        assertThat(letter.getExcerpt()).contains("age=old");
    }

    @Test
    void deadLettersFieldNamesElasticsearchWouldRejectOrReshape() {
        assertThat(mapper.map(hash("user:1", "_id", "x")).deadLetter().getReason())
                .contains("'_id'", "starts with '_'");
        assertThat(mapper.map(hash("user:1", "a.b", "x")).deadLetter().getReason())
                .contains("'a.b'", "'.'");
        assertThat(mapper.map(hash("user:1", "", "x")).deadLetter().getReason())
                .contains("is empty");
    }

    @Test
    void deadLettersKeysThatAreNotUtf8OrNotHashes() {
        byte[] binary = {'u', 's', 'e', 'r', ':', (byte) 0xff, (byte) 0xfe};
        RedisRecord record =
                RedisRecord.upsert(binary, RedisDataType.HASH, new byte[][] {}, 1L, -1L, 0);
        DeadLetter letter = mapper.map(record).deadLetter();
        assertThat(letter.getKey()).isEqualTo("user:\\xff\\xfe");
        assertThat(letter.getReason()).contains("not valid UTF-8");

        RedisRecord string =
                RedisRecord.upsert(
                        bytes("user:9"),
                        RedisDataType.STRING,
                        new byte[][] {bytes("{}")},
                        1L,
                        -1L,
                        0);
        assertThat(mapper.map(string).deadLetter().getReason())
                .contains("'user:9' is a string", "maps hash keys");

        RedisRecord omitted =
                RedisRecord.upsert(bytes("user:10"), RedisDataType.HASH, null, 1L, -1L, 0);
        assertThat(mapper.map(omitted).deadLetter().getReason()).contains("was not read");
    }

    @Test
    void deadLettersAKeyThatLeavesNothingForTheId() {
        // "user:" would otherwise share its id with "user:user:".
        DeadLetter letter = mapper.map(hash("user:", "name", "Nobody")).deadLetter();
        assertThat(letter.getReason()).contains("'user:'", "'user:*'", "document id");
    }

    @Test
    void deadLettersAValueThatIsNotUtf8NamingTheField() {
        RedisRecord record =
                RedisRecord.upsert(
                        bytes("user:3"),
                        RedisDataType.HASH,
                        new byte[][] {bytes("photo"), new byte[] {(byte) 0x89, 'P', 'N', 'G'}},
                        1L,
                        -1L,
                        0);
        assertThat(mapper.map(record).deadLetter().getReason()).contains("'photo'", "not UTF-8");
    }

    private static RedisRecord hash(String key, String... fieldsAndValues) {
        byte[][] values = new byte[fieldsAndValues.length][];
        for (int i = 0; i < fieldsAndValues.length; i++) {
            values[i] = bytes(fieldsAndValues[i]);
        }
        return RedisRecord.upsert(
                bytes(key), RedisDataType.HASH, values, 1_700_000_000_000_000L, -1L, 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
