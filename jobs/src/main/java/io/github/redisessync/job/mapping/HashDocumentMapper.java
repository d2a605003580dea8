package io.github.redisessync.job.mapping;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import io.github.redisessync.connector.redis.source.RedisDataType;
import io.github.redisessync.connector.redis.source.RedisRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a Redis read to a document: a hash becomes an object holding its fields under their own
 * names, typed as the target index's mapping declares; a vanished key becomes a delete.
 *
 * <p>Anything that cannot become a valid document becomes a {@link DeadLetter} with a reason that
 * names the key and the field, because one bad bulk item would fail the whole job.
 */
public final class HashDocumentMapper implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private static final int EXCERPT_CHARS = 200;

    private final List<IndexRule> rules;
    private final List<Map<String, FieldCoercion>> coercions;

    public HashDocumentMapper(List<IndexRule> rules) {
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("At least one key pattern must map to an index.");
        }
        this.rules = List.copyOf(rules);
        this.coercions = new ArrayList<>();
        for (IndexRule rule : rules) {
            Map<String, FieldCoercion> byField = new HashMap<>();
            rule.definition()
                    .fieldTypes()
                    .forEach((f, t) -> byField.put(f, FieldCoercion.forMappingType(t)));
            coercions.add(byField);
        }
    }

    /** The rules, first match wins. */
    public List<IndexRule> rules() {
        return rules;
    }

    /** Maps one record; never throws for bad data. */
    public MappingResult map(RedisRecord record) {
        String key;
        try {
            key = decode(record.getKey());
        } catch (CharacterCodingException e) {
            return MappingResult.deadLetter(
                    new DeadLetter(
                            printable(record.getKey()),
                            null,
                            "The key is not valid UTF-8, so it cannot be a document id.",
                            "",
                            record.getVersion()));
        }
        int ruleIndex = ruleFor(key);
        if (ruleIndex < 0) {
            return MappingResult.deadLetter(
                    new DeadLetter(
                            key,
                            null,
                            "Key '" + key + "' matches no configured key pattern.",
                            "",
                            record.getVersion()));
        }
        IndexRule rule = rules.get(ruleIndex);
        String id = rule.pattern().documentId(key);
        if (id == null) {
            return dead(
                    record,
                    key,
                    rule,
                    "Key '"
                            + key
                            + "' leaves nothing of pattern '"
                            + rule.pattern()
                            + "' to make a document id of.");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > 512) {
            return dead(record, key, rule, "The document id '" + id + "' is over 512 bytes.");
        }
        if (record.getOp() == RedisRecord.Op.DELETE || record.getType() == RedisDataType.NONE) {
            return MappingResult.document(
                    DocumentAction.delete(rule.index(), id, record.getVersion(), key));
        }
        if (record.isValueOmitted()) {
            return dead(
                    record,
                    key,
                    rule,
                    "The value of "
                            + record.getType()
                            + " key '"
                            + key
                            + "' was not read: it is over the source's size limit or of a type"
                            + " the source does not read.");
        }
        if (record.getType() != RedisDataType.HASH) {
            return dead(
                    record,
                    key,
                    rule,
                    "Key '"
                            + key
                            + "' is a "
                            + record.getType()
                            + ", but pattern '"
                            + rule.pattern()
                            + "' maps hashes.");
        }
        return mapHash(record, key, id, rule, coercions.get(ruleIndex));
    }

    private MappingResult mapHash(
            RedisRecord record,
            String key,
            String id,
            IndexRule rule,
            Map<String, FieldCoercion> types) {
        byte[][] values = record.getValues();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + values.length * 16);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            for (int i = 0; i + 1 < values.length; i += 2) {
                String field;
                String text;
                try {
                    field = decode(values[i]);
                } catch (CharacterCodingException e) {
                    return dead(
                            record,
                            key,
                            rule,
                            "Field name " + printable(values[i]) + " is not valid UTF-8.");
                }
                try {
                    text = decode(values[i + 1]);
                } catch (CharacterCodingException e) {
                    return dead(
                            record,
                            key,
                            rule,
                            "Field '" + field + "' holds bytes that are not UTF-8.");
                }
                String badName = badFieldName(field);
                if (badName != null) {
                    return dead(record, key, rule, "Field name '" + field + "' " + badName + ".");
                }
                FieldCoercion coercion = types.getOrDefault(field, FieldCoercion.STRING);
                FieldCoercion.Coerced value = coercion.coerce(text);
                json.writeFieldName(field);
                switch (value.kind) {
                    case NUMBER:
                        json.writeNumber(value.text);
                        break;
                    case BOOLEAN:
                        json.writeBoolean(Boolean.parseBoolean(value.text));
                        break;
                    case STRING:
                        json.writeString(value.text);
                        break;
                    default:
                        return dead(
                                record,
                                key,
                                rule,
                                "Field '"
                                        + field
                                        + "' is '"
                                        + excerpt(text)
                                        + "', which "
                                        + value.text
                                        + " as the "
                                        + rule.index()
                                        + " mapping ("
                                        + rule.definition().fieldTypes().get(field)
                                        + ") requires.");
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing JSON to memory failed for key " + key, e);
        }
        return MappingResult.document(
                DocumentAction.index(
                        rule.index(), id, record.getVersion(), key, out.toByteArray()));
    }

    /** Why Elasticsearch would reject or silently restructure a field of this name, or null. */
    private static String badFieldName(String field) {
        if (field.isEmpty()) {
            return "is empty";
        }
        if (field.startsWith("_")) {
            return "starts with '_', which Elasticsearch reserves for metadata fields";
        }
        if (field.contains(".")) {
            return "contains '.', which Elasticsearch reads as a path into an object";
        }
        return null;
    }

    private int ruleFor(String key) {
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).pattern().matches(key)) {
                return i;
            }
        }
        return -1;
    }

    private static MappingResult dead(RedisRecord record, String key, IndexRule rule, String why) {
        return MappingResult.deadLetter(
                new DeadLetter(key, rule.index(), why, valueExcerpt(record), record.getVersion()));
    }

    private static String valueExcerpt(RedisRecord record) {
        StringBuilder sb = new StringBuilder();
        byte[][] values = record.getValues();
        for (int i = 0; values != null && i < values.length && sb.length() < EXCERPT_CHARS; i++) {
            sb.append(i % 2 == 0 ? (i == 0 ? "" : ", ") : "=").append(printable(values[i]));
        }
        return excerpt(sb.toString());
    }

    private static String excerpt(String text) {
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "...";
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
    }

    /** Text for messages: UTF-8 where valid, other bytes as {@code \xNN}. */
    static String printable(byte[] bytes) {
        try {
            return decode(bytes);
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                if (b >= 0x20 && b < 0x7f && b != '\\') {
                    sb.append((char) b);
                } else {
                    sb.append(String.format("\\x%02x", b & 0xff));
                }
            }
            return sb.toString();
        }
    }
}
