package io.github.redisessync.job.mapping;

import io.github.redisessync.connector.redis.source.RedisDataType;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the value of one key pattern becomes a document: the Redis type expected, how strings and
 * sorted sets are read, which fields are kept (includes, excludes), renamed and typed.
 *
 * <p>Hashes become objects of their fields; strings are parsed as a JSON object ({@code JSON}) or
 * kept under {@link #valueField()} ({@code RAW}); lists, sets and sorted sets become an array under
 * {@link #valueField()}, sorted sets as {@code [{member, score}]} or as their members in score
 * order. Built with {@link #builder()}; the defaults map hashes as they are.
 */
public final class DocumentShape implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How a string value is read. */
    public enum StringFormat {
        JSON,
        RAW
    }

    /** How a sorted set is written. */
    public enum ZsetFormat {
        /** {@code [{"member": m, "score": s}, ...]} in score order. */
        ENTRIES,
        /** {@code [m, ...]} in score order. */
        MEMBERS
    }

    private final RedisDataType redisType;
    private final StringFormat stringFormat;
    private final ZsetFormat zsetFormat;
    private final String valueField;
    private final Map<String, String> renames;
    private final Set<String> includes;
    private final Set<String> excludes;
    private final Map<String, FieldSpec> fields;

    private DocumentShape(Builder b) {
        this.redisType = b.redisType;
        this.stringFormat = b.stringFormat;
        this.zsetFormat = b.zsetFormat;
        this.valueField = b.valueField;
        this.renames = Map.copyOf(b.renames);
        this.includes = Set.copyOf(b.includes);
        this.excludes = Set.copyOf(b.excludes);
        this.fields = Map.copyOf(b.fields);
    }

    /** Hashes, every field kept under its own name, typed by the index mapping alone. */
    public static DocumentShape hashes() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public RedisDataType redisType() {
        return redisType;
    }

    public StringFormat stringFormat() {
        return stringFormat;
    }

    public ZsetFormat zsetFormat() {
        return zsetFormat;
    }

    /** The field of a raw string ({@code value}) or of a collection's array ({@code values}). */
    public String valueField() {
        if (valueField != null) {
            return valueField;
        }
        return redisType == RedisDataType.STRING ? "value" : "values";
    }

    /** The document field a Redis field is written to. */
    String targetName(String sourceField) {
        return renames.getOrDefault(sourceField, sourceField);
    }

    /** Whether a Redis field is kept: named by the includes (if any) and not by the excludes. */
    boolean keeps(String sourceField) {
        return (includes.isEmpty() || includes.contains(sourceField))
                && !excludes.contains(sourceField);
    }

    /** Declared types by document field name. */
    public Map<String, FieldSpec> fields() {
        return fields;
    }

    /** Source field to document field. */
    public Map<String, String> renames() {
        return renames;
    }

    /** Builds a {@link DocumentShape}; setters check their values. */
    public static final class Builder {
        private RedisDataType redisType = RedisDataType.HASH;
        private StringFormat stringFormat = StringFormat.JSON;
        private ZsetFormat zsetFormat = ZsetFormat.ENTRIES;
        private String valueField;
        private final Map<String, String> renames = new LinkedHashMap<>();
        private final Set<String> includes = new LinkedHashSet<>();
        private final Set<String> excludes = new LinkedHashSet<>();
        private final Map<String, FieldSpec> fields = new LinkedHashMap<>();

        private Builder() {}

        /** HASH, STRING, LIST, SET, ZSET or JSON (RedisJSON). */
        public Builder redisType(RedisDataType type) {
            if (type == RedisDataType.NONE
                    || type == RedisDataType.STREAM
                    || type == RedisDataType.UNKNOWN) {
                throw new IllegalArgumentException(
                        "Redis type "
                                + type
                                + " cannot be mapped; expected hash, string, list, set, zset or"
                                + " json.");
            }
            this.redisType = type;
            return this;
        }

        public Builder stringFormat(StringFormat format) {
            this.stringFormat = format;
            return this;
        }

        public Builder zsetFormat(ZsetFormat format) {
            this.zsetFormat = format;
            return this;
        }

        public Builder valueField(String field) {
            checkFieldName("value field", field);
            this.valueField = field;
            return this;
        }

        public Builder rename(String from, String to) {
            checkFieldName("rename target", to);
            if (renames.containsValue(to)) {
                throw new IllegalArgumentException(
                        "Two fields are renamed to '" + to + "'; a document field has one source.");
            }
            renames.put(from, to);
            return this;
        }

        public Builder include(List<String> names) {
            includes.addAll(names);
            return this;
        }

        public Builder exclude(List<String> names) {
            excludes.addAll(names);
            return this;
        }

        /** Declares the type of document field {@code name} (after any rename). */
        public Builder field(String name, FieldSpec spec) {
            checkFieldName("field", name);
            fields.put(name, spec);
            return this;
        }

        public DocumentShape build() {
            return new DocumentShape(this);
        }

        private static void checkFieldName(String setting, String field) {
            String why = DocumentFieldNames.problem(field);
            if (why != null) {
                throw new IllegalArgumentException(
                        "The " + setting + " name '" + field + "' " + why + ".");
            }
        }
    }
}
