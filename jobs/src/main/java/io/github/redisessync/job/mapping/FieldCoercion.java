package io.github.redisessync.job.mapping;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * How a hash field's text is written into the document, given the type the index mapping declares.
 *
 * <p>Values are not reformatted: a number whose text is already a JSON number is written as that
 * very text; one that Elasticsearch can read but JSON cannot ({@code 007}, {@code +5}) is kept as
 * the original string for Elasticsearch to coerce; dates stay strings and are parsed by the
 * mapping's format; the sink writes the document's bytes as they are, so {@code 3.50} stays {@code
 * 3.50} in {@code _source}. Text that is not a value of the declared type is refused, so that the
 * record is dead-lettered instead of failing the bulk request.
 */
enum FieldCoercion {
    /** Written as the string it is: keyword, text, date, ip and anything undeclared. */
    STRING,
    /** long, integer, short, byte, unsigned_long. */
    INTEGER,
    /** double, float, half_float, scaled_float. */
    DECIMAL,
    BOOLEAN,
    /** date, date_nanos: checked against the field's formats, written as the string it is. */
    DATE,
    /** object, nested, flattened (and {@code json} in the configuration): text parsed as JSON. */
    JSON;

    private static final Pattern JSON_INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern JSON_NUMBER =
            Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX_UNSIGNED = new BigInteger("18446744073709551615");

    /** The coercion for an Elasticsearch field type; {@code null} means undeclared. */
    static FieldCoercion forMappingType(String type) {
        if (type == null) {
            return STRING;
        }
        switch (type) {
            case "long":
            case "integer":
            case "short":
            case "byte":
            case "unsigned_long":
                return INTEGER;
            case "double":
            case "float":
            case "half_float":
            case "scaled_float":
                return DECIMAL;
            case "boolean":
                return BOOLEAN;
            case "date":
            case "date_nanos":
                return DATE;
            case "object":
            case "nested":
            case "flattened":
            case "json":
                return JSON;
            default:
                return STRING;
        }
    }

    /** What to write for {@code text}; DATE and JSON are checked by {@link FieldSpec}. */
    Coerced coerce(String text) {
        switch (this) {
            case INTEGER:
                if (JSON_INTEGER.matcher(text).matches() && inRange(new BigInteger(text))) {
                    return Coerced.number(text);
                }
                try {
                    if (inRange(new BigInteger(text.trim()))) {
                        return Coerced.string(text);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                return Coerced.refused("is not an integer");
            case DECIMAL:
                if (JSON_NUMBER.matcher(text).matches()) {
                    return Coerced.number(text);
                }
                try {
                    double parsed = Double.parseDouble(text.trim());
                    if (!Double.isNaN(parsed) && !Double.isInfinite(parsed)) {
                        return Coerced.string(text);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                return Coerced.refused("is not a finite number");
            case BOOLEAN:
                if (text.equals("true") || text.equals("false")) {
                    return Coerced.bool(text.equals("true"));
                }
                return Coerced.refused("is not true or false");
            default:
                return Coerced.string(text);
        }
    }

    private static boolean inRange(BigInteger value) {
        return value.compareTo(MIN) >= 0 && value.compareTo(MAX_UNSIGNED) <= 0;
    }

    /** The outcome of a coercion: a JSON number literal, a boolean, a string, or a refusal. */
    static final class Coerced {
        enum Kind {
            NUMBER,
            BOOLEAN,
            STRING,
            REFUSED
        }

        final Kind kind;
        final String text;

        private Coerced(Kind kind, String text) {
            this.kind = kind;
            this.text = text;
        }

        static Coerced number(String literal) {
            return new Coerced(Kind.NUMBER, literal);
        }

        static Coerced bool(boolean value) {
            return new Coerced(Kind.BOOLEAN, String.valueOf(value));
        }

        static Coerced string(String text) {
            return new Coerced(Kind.STRING, text);
        }

        static Coerced refused(String why) {
            return new Coerced(Kind.REFUSED, why);
        }
    }
}
