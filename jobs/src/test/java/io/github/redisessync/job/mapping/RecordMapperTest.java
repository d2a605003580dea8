package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void makesCompositeIdsFromNamedPartsAndLeadsThemBack() {
        KeyPattern carts = KeyPattern.of("cart:{user}:{item}");
        assertThat(carts.glob()).isEqualTo("cart:*:*");
        assertThat(carts.documentId("cart:7:sku-1")).isEqualTo("7:sku-1");
        assertThat(carts.keysFor("7:sku-1")).containsExactly("cart:7:sku-1");
        KeyPattern dashed = carts.withIdTemplate("{item}@{user}");
        assertThat(dashed.documentId("cart:7:sku-1")).isEqualTo("sku-1@7");
        assertThat(dashed.keysFor("sku-1@7")).containsExactly("cart:7:sku-1");
        assertThat(KeyPattern.of("order:{id}").documentId("order:")).isNull();
        assertThatThrownBy(() -> carts.withIdTemplate("{user}"))
                .hasMessageContaining("leaves out the key's part {item}");
        assertThatThrownBy(() -> KeyPattern.of("cart:{user}:*"))
                .hasMessageContaining("mixes named parts");
    }

    @Test
    void mapsStringsListsSetsAndSortedSets() throws Exception {
        RecordMapper mapper =
                new RecordMapper(
                        List.of(
                                rule("doc:*", shape(RedisDataType.STRING)),
                                rule(
                                        "note:*",
                                        DocumentShape.builder()
                                                .redisType(RedisDataType.STRING)
                                                .stringFormat(DocumentShape.StringFormat.RAW)
                                                .valueField("text")
                                                .build()),
                                rule(
                                        "tags:*",
                                        DocumentShape.builder()
                                                .redisType(RedisDataType.SET)
                                                .valueField("tags")
                                                .build()),
                                rule(
                                        "views:*",
                                        DocumentShape.builder()
                                                .redisType(RedisDataType.LIST)
                                                .field("values", FieldSpec.of("long", null))
                                                .build()),
                                rule("top:*", shape(RedisDataType.ZSET))));
        assertThat(source(mapper, record("doc:1", RedisDataType.STRING, "{\"a\":1,\"b\":[2]}")))
                .isEqualTo(JSON.readTree("{\"a\":1,\"b\":[2]}"));
        assertThat(source(mapper, record("note:1", RedisDataType.STRING, "not json")))
                .isEqualTo(JSON.readTree("{\"text\":\"not json\"}"));
        assertThat(source(mapper, record("tags:1", RedisDataType.SET, "x", "y")))
                .isEqualTo(JSON.readTree("{\"tags\":[\"x\",\"y\"]}"));
        assertThat(source(mapper, record("views:1", RedisDataType.LIST, "3", "4")))
                .isEqualTo(JSON.readTree("{\"values\":[3,4]}"));
        assertThat(source(mapper, record("top:1", RedisDataType.ZSET, "a", "1.5", "b", "2")))
                .isEqualTo(
                        JSON.readTree(
                                "{\"values\":[{\"member\":\"a\",\"score\":1.5},"
                                        + "{\"member\":\"b\",\"score\":2}]}"));
        assertThat(dead(mapper, record("doc:2", RedisDataType.STRING, "{\"a\":")))
                .satisfies(d -> assertThat(d.getReasonCode()).isEqualTo("invalid-json"))
                .satisfies(
                        d -> assertThat(d.getReason()).startsWith("The value is not valid JSON"));
        assertThat(dead(mapper, record("doc:3", RedisDataType.STRING, "[1]")).getReason())
                .contains("JSON but not an object");
        assertThat(dead(mapper, record("top:2", RedisDataType.ZSET, "a", "inf")).getReasonCode())
                .isEqualTo("bad-number");
    }

    @Test
    void renamesIncludesExcludesAndTypesFields() throws Exception {
        DocumentShape shape =
                DocumentShape.builder()
                        .rename("name", "full_name")
                        .exclude(List.of("password"))
                        .field("age", FieldSpec.of("long", null))
                        .field("born", FieldSpec.of("date", "yyyy-MM-dd"))
                        .field("prefs", FieldSpec.of("json", null))
                        .field("vip", FieldSpec.of("boolean", null))
                        .build();
        RecordMapper mapper = new RecordMapper(List.of(rule("user:{id}", shape)));
        JsonNode doc =
                source(
                        mapper,
                        record(
                                "user:1",
                                RedisDataType.HASH,
                                "name",
                                "Zoë",
                                "password",
                                "x",
                                "age",
                                "42",
                                "born",
                                "1990-02-28",
                                "prefs",
                                "{\"lang\":\"pl\"}",
                                "vip",
                                "true"));
        assertThat(doc)
                .isEqualTo(
                        JSON.readTree(
                                "{\"full_name\":\"Zoë\",\"age\":42,\"born\":\"1990-02-28\","
                                        + "\"prefs\":{\"lang\":\"pl\"},\"vip\":true}"));
        DeadLetter badDate =
                dead(mapper, record("user:2", RedisDataType.HASH, "born", "1990-02-30"));
        assertThat(badDate.getReasonCode()).isEqualTo("bad-date");
        assertThat(badDate.getReason())
                .isEqualTo(
                        "Field 'born' is '1990-02-30', which is not a date in the format"
                                + " yyyy-MM-dd as its type (date) requires.");
        assertThat(dead(mapper, record("user:3", RedisDataType.HASH, "prefs", "{")).getReason())
                .startsWith("Field 'prefs' is declared json but holds no valid JSON");
        assertThat(dead(mapper, record("user:4", RedisDataType.LIST, "a")).getReason())
                .isEqualTo("Key 'user:4' is a list, but pattern 'user:{id}' maps hash keys.");
    }

    @Test
    void checksDatesAsElasticsearchDefaultFormatReadsThem() {
        DateFormats iso = DateFormats.of(null);
        assertThat(iso.accepts("2024-03-01T10:15:30Z")).isTrue();
        assertThat(iso.accepts("2024-03-01T10:15:30.123+01:00")).isTrue();
        assertThat(iso.accepts("2024-03-01")).isTrue();
        assertThat(iso.accepts("1700000000000")).isTrue();
        assertThat(iso.accepts("2024-13-01")).isFalse();
        assertThat(iso.accepts("2024-02-30")).isFalse();
        assertThat(iso.accepts("yesterday")).isFalse();
        assertThat(iso.accepts("2024-03-01T25:00:00Z")).isFalse();
        assertThatThrownBy(() -> DateFormats.of("yyyy-MM-dd||bogus{"))
                .hasMessageContaining("'bogus{'");
    }

    private static DocumentShape shape(RedisDataType type) {
        return DocumentShape.builder().redisType(type).build();
    }

    private static IndexRule rule(String pattern, DocumentShape shape) {
        return new IndexRule(KeyPattern.of(pattern), "things", IndexDefinition.dynamic(), shape);
    }

    private static RedisRecord record(String key, RedisDataType type, String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return RedisRecord.upsert(
                key.getBytes(StandardCharsets.UTF_8), type, bytes, 1L, RedisRecord.NO_EXPIRY, 0);
    }

    private static JsonNode source(RecordMapper mapper, RedisRecord record) throws Exception {
        MappingResult result = mapper.map(record);
        assertThat(result.isDocument()).as("%s", result.deadLetter()).isTrue();
        return JSON.readTree(result.document().getSource());
    }

    private static DeadLetter dead(RecordMapper mapper, RedisRecord record) {
        MappingResult result = mapper.map(record);
        assertThat(result.isDocument()).isFalse();
        return result.deadLetter();
    }
}
