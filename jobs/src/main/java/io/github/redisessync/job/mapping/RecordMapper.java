package io.github.redisessync.job.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.elasticsearch.IndexDefinition;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import io.github.redisessync.job.deadletter.DeadLetter;
import io.github.redisessync.job.deadletter.DeadLetterReason;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a Redis read to a document by the first {@link IndexRule} whose pattern matches its key: the
 * id from the key, the value read as its rule's {@link DocumentShape} says, fields kept, renamed
 * and typed (the shape's declared types first, then the index mapping's); a vanished key becomes a
 * delete. {@code verify} uses the same mapper, so it expects exactly what the job writes.
 *
 * <p>Anything that cannot become a valid document becomes a {@link DeadLetter} with a reason that
 * names the key and the field, because one bad bulk item would fail the whole job.
 */
public class RecordMapper implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<IndexRule> rules;
    private final List<Map<String, FieldSpec>> types;

    public RecordMapper(List<IndexRule> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        this.rules = List.copyOf(rules);
        this.types = new ArrayList<>();
        for (IndexRule rule : rules) {
            Map<String, FieldSpec> byField = mappingTypes(rule.definition());
            byField.putAll(rule.shape().fields());
            types.add(byField);
        }
    }

    /** The rules, first match wins. */
    public List<IndexRule> rules() {
        return rules;
    }

    /** The first rule whose pattern matches {@code key}, or null. */
    public IndexRule ruleFor(String key) {
        int i = ruleIndex(key);
        return i < 0 ? null : rules.get(i);
    }

    /** Maps one record; never throws for bad data. */
    public MappingResult map(RedisRecord record) {
        String key;
        try {
            key = RecordValues.strictDecode(record.getKey());
        } catch (CharacterCodingException e) {
            return MappingResult.deadLetter(
                    new DeadLetter(
                            RecordValues.printable(record.getKey()),
                            null,
                            DeadLetterReason.KEY_NOT_UTF8,
                            "The key is not valid UTF-8, so it cannot be a document id.",
                            "",
                            record.getVersion()));
        }
        int ruleIndex = ruleIndex(key);
        if (ruleIndex < 0) {
            return MappingResult.deadLetter(
                    new DeadLetter(
                            key,
                            null,
                            DeadLetterReason.NO_MATCHING_PATTERN,
                            "Key '" + key + "' matches no configured key pattern.",
                            "",
                            record.getVersion()));
        }
        IndexRule rule = rules.get(ruleIndex);
        try {
            return MappingResult.document(map(record, key, rule, types.get(ruleIndex)));
        } catch (MappingFailure failure) {
            return MappingResult.deadLetter(
                    new DeadLetter(
                            key,
                            rule.index(),
                            failure.reason(),
                            failure.getMessage(),
                            valueExcerpt(record),
                            record.getVersion()));
        }
    }

    private DocumentAction map(
            RedisRecord record, String key, IndexRule rule, Map<String, FieldSpec> fieldTypes) {
        String id = rule.pattern().documentId(key);
        if (id == null) {
            throw new MappingFailure(
                    DeadLetterReason.NO_DOCUMENT_ID,
                    "Key '"
                            + key
                            + "' leaves nothing of pattern '"
                            + rule.pattern()
                            + "' to make a document id of.");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > 512) {
            throw new MappingFailure(
                    DeadLetterReason.NO_DOCUMENT_ID,
                    "The document id '" + RecordValues.excerpt(id) + "' is over 512 bytes.");
        }
        if (record.getOp() == RedisRecord.Op.DELETE || record.getType() == RedisDataType.NONE) {
            return DocumentAction.delete(rule.index(), id, record.getVersion(), key);
        }
        if (record.isValueOmitted()) {
            throw new MappingFailure(
                    DeadLetterReason.VALUE_NOT_READ,
                    "The value of "
                            + typeName(record.getType())
                            + " key '"
                            + key
                            + "' was not read: "
                            + (record.getOmissionReason() != null
                                    ? record.getOmissionReason()
                                    : "it is over the source's size limit (read.max-value-bytes,"
                                            + " read.max-value-elements) or of a type the"
                                            + " source does not read")
                            + ".");
        }
        DocumentShape shape = rule.shape();
        if (record.getType() != shape.redisType()) {
            throw new MappingFailure(
                    DeadLetterReason.WRONG_REDIS_TYPE,
                    "Key '"
                            + key
                            + "' is a "
                            + typeName(record.getType())
                            + ", but pattern '"
                            + rule.pattern()
                            + "' maps "
                            + typeName(shape.redisType())
                            + " keys.");
        }
        ObjectNode document = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> value : RecordValues.read(record, shape).entrySet()) {
            if (!shape.keeps(value.getKey())) {
                continue;
            }
            String field = shape.targetName(value.getKey());
            String badName = DocumentFieldNames.problem(field);
            if (badName != null) {
                throw new MappingFailure(
                        DeadLetterReason.BAD_FIELD_NAME,
                        "Field name '" + field + "' " + badName + ".");
            }
            FieldSpec spec = fieldTypes.getOrDefault(field, FieldSpec.UNTYPED);
            document.set(field, spec.coerce(field, value.getValue()));
        }
        try {
            return DocumentAction.index(
                    rule.index(), id, record.getVersion(), key, JSON.writeValueAsBytes(document));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("Writing JSON to memory failed for key " + key, e);
        }
    }

    /** Field types and date formats of the top-level properties of an index mapping. */
    private static Map<String, FieldSpec> mappingTypes(IndexDefinition definition) {
        Map<String, FieldSpec> byField = new HashMap<>();
        JsonNode properties;
        try {
            properties = JSON.readTree(definition.body()).path("mappings").path("properties");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "Mapping " + definition.source() + " is not valid JSON.", e);
        }
        definition
                .fieldTypes()
                .forEach(
                        (field, type) -> {
                            JsonNode format = properties.path(field).path("format");
                            byField.put(
                                    field,
                                    FieldSpec.fromMapping(
                                            type, format.isTextual() ? format.asText() : null));
                        });
        return byField;
    }

    private int ruleIndex(String key) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).pattern().matches(key)) {
                return i;
            }
        }
        return -1;
    }

    private static String typeName(RedisDataType type) {
        return type == RedisDataType.ZSET
                ? "sorted set"
                : type == RedisDataType.JSON ? "RedisJSON" : type.name().toLowerCase(Locale.ROOT);
    }

    private static String valueExcerpt(RedisRecord record) {
        StringBuilder sb = new StringBuilder();
        byte[][] values = record.getValues();
        boolean pairs =
                record.getType() == RedisDataType.HASH || record.getType() == RedisDataType.ZSET;
        for (int i = 0; values != null && i < values.length && sb.length() < 200; i++) {
            String separator = pairs && i % 2 == 1 ? "=" : i == 0 ? "" : ", ";
            byte[] item = values[i];
            // Only the start of a huge value is decoded for the excerpt.
            byte[] head = item.length <= 400 ? item : java.util.Arrays.copyOf(item, 400);
            sb.append(separator).append(RecordValues.printable(head));
        }
        return RecordValues.excerpt(sb.toString());
    }
}
