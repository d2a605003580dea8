package io.github.redisessync.job.rollup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a record's contribution to a rollup out of its document, and makes the rollup document ids.
 *
 * <p>A record without a usable time or group value belongs to no group, as Elasticsearch's {@code
 * date_histogram} and {@code terms} aggregations leave out a document that lacks the field; a
 * metric field without a numeric value is left out of that metric only.
 */
final class RollupContributions {
    /** Elasticsearch ids are at most 512 bytes. */
    static final int MAX_ID_BYTES = 512;

    /** Decimals keep their exact text, so sums are exact and values compare by value. */
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?[0-9]{1,19}");

    private RollupContributions() {}

    /** The document of an INDEX action, or null when it is not a JSON object. */
    static JsonNode parse(DocumentAction action) {
        try {
            JsonNode node = JSON.readTree(action.getSource());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What {@code document} (read at {@code version}) adds to {@code spec}, or null for nothing.
     */
    static RollupContribution of(RollupSpec spec, JsonNode document, long version) {
        long windowStart = 0;
        if (spec.isWindowed()) {
            Long time =
                    spec.timeField() == null
                            ? Long.valueOf(Math.floorDiv(version, 1000L))
                            : epochMillis(document.get(spec.timeField()));
            if (time == null) {
                return null;
            }
            windowStart = Math.floorDiv(time, spec.windowMillis()) * spec.windowMillis();
        }
        List<String> groupBy = spec.groupBy();
        String[] groupValues = new String[groupBy.size()];
        for (int i = 0; i < groupValues.length; i++) {
            groupValues[i] = groupValue(document.get(groupBy.get(i)));
            if (groupValues[i] == null) {
                return null;
            }
        }
        List<String> fields = spec.metricFields();
        BigDecimal[] values = new BigDecimal[fields.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(document.get(fields.get(i)));
        }
        return new RollupContribution(
                documentId(spec, windowStart, groupValues), windowStart, groupValues, values);
    }

    /**
     * {@code <rollup>|<window start in epoch ms, or "total">|<group value>|...}, each group value
     * percent-encoded (RFC 3986 unreserved characters kept), so the id is URL-safe and the {@code
     * |} separators are unambiguous. An id over 512 bytes ends in the SHA-256 of the group part.
     */
    static String documentId(RollupSpec spec, long windowStart, String[] groupValues) {
        StringBuilder id = new StringBuilder(spec.name()).append('|');
        id.append(spec.isWindowed() ? Long.toString(windowStart) : "total");
        StringBuilder group = new StringBuilder();
        for (String value : groupValues) {
            group.append('|');
            percentEncode(value, group);
        }
        if (id.length() + group.length() > MAX_ID_BYTES) {
            id.append("|sha256-").append(sha256(group.toString()));
        } else {
            id.append(group);
        }
        return id.toString();
    }

    static Long epochMillis(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return (long) Math.floor(node.doubleValue());
        }
        if (!node.isTextual()) {
            return null;
        }
        String text = node.textValue().trim();
        if (EPOCH_MILLIS.matcher(text).matches()) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException notOffset) {
            // Elasticsearch reads a date-time without an offset as UTC.
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notInstant) {
            // try the forms without a zone
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notDateTime) {
            // try a date
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notDate) {
            return null;
        }
    }

    private static String groupValue(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.asText();
    }

    /** The numeric value of a number or a numeric string (as Elasticsearch coerces), or null. */
    static BigDecimal number(JsonNode node) {
        if (node == null) {
            return null;
        }
        try {
            if (node.isNumber()) {
                return normalize(node.decimalValue());
            }
            if (node.isTextual()) {
                return normalize(new BigDecimal(node.textValue().trim()));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static BigDecimal normalize(BigDecimal value) {
        return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    private static void percentEncode(String value, StringBuilder out) {
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
                out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256.", e);
        }
    }
}
