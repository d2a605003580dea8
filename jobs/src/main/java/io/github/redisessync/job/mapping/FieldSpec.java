package io.github.redisessync.job.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.redisessync.job.deadletter.DeadLetterReason;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;

/**
 * The declared type of one document field (keyword, text, long, double, boolean, date with formats,
 * json) and how a value from Redis becomes a JSON value of that type, or why it cannot.
 */
public final class FieldSpec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The type names the configuration accepts; Elasticsearch's, plus {@code json}. */
    public static final List<String> TYPES =
            List.of(
                    "keyword",
                    "text",
                    "long",
                    "integer",
                    "short",
                    "byte",
                    "unsigned_long",
                    "double",
                    "float",
                    "half_float",
                    "scaled_float",
                    "boolean",
                    "date",
                    "date_nanos",
                    "json",
                    "object",
                    "nested",
                    "flattened",
                    "ip",
                    "wildcard");

    private static final Set<String> KNOWN = Set.copyOf(TYPES);

    /** Undeclared fields: written as they come. */
    static final FieldSpec UNTYPED = new FieldSpec(null, FieldCoercion.STRING, null);

    private final String type;
    private final FieldCoercion coercion;
    private final DateFormats dates;

    private FieldSpec(String type, FieldCoercion coercion, DateFormats dates) {
        this.type = type;
        this.coercion = coercion;
        this.dates = dates;
    }

    /**
     * The spec of a field declared as {@code type}; {@code format} is the {@code ||}-separated date
     * format list of a date (null: Elasticsearch's default).
     */
    public static FieldSpec of(String type, String format) {
        if (type == null || !KNOWN.contains(type)) {
            throw new IllegalArgumentException(
                    "Field type '" + type + "' is not one of " + String.join(", ", TYPES) + ".");
        }
        FieldCoercion coercion = FieldCoercion.forMappingType(type);
        if (format != null && coercion != FieldCoercion.DATE) {
            throw new IllegalArgumentException(
                    "Only a date field has a format; this field is " + type + ".");
        }
        return new FieldSpec(
                type, coercion, coercion == FieldCoercion.DATE ? DateFormats.of(format) : null);
    }

    /** The same, for a type read from an index mapping file: unknown types are left untyped. */
    static FieldSpec fromMapping(String type, String format) {
        if (type == null || !KNOWN.contains(type)) {
            return UNTYPED;
        }
        return of(type, FieldCoercion.forMappingType(type) == FieldCoercion.DATE ? format : null);
    }

    public String type() {
        return type;
    }

    /** The JSON value for {@code value}, which is text read from Redis or parsed JSON. */
    JsonNode coerce(String field, JsonNode value) {
        if (value.isArray()) {
            ArrayNode array = NODES.arrayNode(value.size());
            value.forEach(element -> array.add(coerce(field, element)));
            return array;
        }
        if (value.isTextual()) {
            return coerceText(field, value.asText());
        }
        if (type == null || coercion == FieldCoercion.JSON || value.isNull()) {
            return value;
        }
        boolean fits;
        switch (coercion) {
            case INTEGER:
                fits = value.isIntegralNumber();
                break;
            case DECIMAL:
                fits = value.isNumber();
                break;
            case BOOLEAN:
                fits = value.isBoolean();
                break;
            case DATE:
                fits = value.isIntegralNumber() && dates.accepts(value.asText());
                break;
            default:
                fits = value.isValueNode();
        }
        if (!fits) {
            throw refused(field, value.toString());
        }
        return value;
    }

    private JsonNode coerceText(String field, String text) {
        switch (coercion) {
            case DATE:
                if (!dates.accepts(text)) {
                    throw refused(field, text);
                }
                return NODES.textNode(text);
            case JSON:
                try {
                    return JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    throw new MappingFailure(
                            DeadLetterReason.INVALID_JSON,
                            "Field '"
                                    + field
                                    + "' is declared json but holds no valid JSON: "
                                    + e.getOriginalMessage()
                                    + ".");
                }
            default:
                FieldCoercion.Coerced coerced = coercion.coerce(text);
                switch (coerced.kind) {
                    case NUMBER:
                        return coercion == FieldCoercion.INTEGER
                                ? NODES.numberNode(new BigInteger(coerced.text))
                                : NODES.numberNode(new BigDecimal(coerced.text));
                    case BOOLEAN:
                        return NODES.booleanNode(Boolean.parseBoolean(coerced.text));
                    case STRING:
                        return NODES.textNode(coerced.text);
                    default:
                        throw refused(field, text);
                }
        }
    }

    private MappingFailure refused(String field, String value) {
        String shown = value.length() <= 100 ? value : value.substring(0, 100) + "...";
        String expected;
        DeadLetterReason reason;
        switch (coercion) {
            case INTEGER:
                expected = "is not an integer";
                reason = DeadLetterReason.BAD_NUMBER;
                break;
            case DECIMAL:
                expected = "is not a finite number";
                reason = DeadLetterReason.BAD_NUMBER;
                break;
            case BOOLEAN:
                expected = "is not true or false";
                reason = DeadLetterReason.BAD_BOOLEAN;
                break;
            case DATE:
                expected = "is not a date in the format " + dates;
                reason = DeadLetterReason.BAD_DATE;
                break;
            default:
                expected = "is not a single value";
                reason = DeadLetterReason.INVALID_JSON;
        }
        return new MappingFailure(
                reason,
                "Field '"
                        + field
                        + "' is '"
                        + shown
                        + "', which "
                        + expected
                        + " as its type ("
                        + type
                        + ") requires.");
    }

    @Override
    public String toString() {
        return type == null ? "untyped" : dates == null ? type : type + " (" + dates + ")";
    }
}
