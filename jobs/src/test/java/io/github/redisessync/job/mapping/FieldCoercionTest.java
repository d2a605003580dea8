package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.job.mapping.FieldCoercion.Coerced.Kind;
import org.junit.jupiter.api.Test;

class FieldCoercionTest {

    @Test
    void writesNumbersAsTheirOwnText() {
        assertThat(FieldCoercion.INTEGER.coerce("42").kind).isEqualTo(Kind.NUMBER);
        assertThat(FieldCoercion.INTEGER.coerce("-7").text).isEqualTo("-7");
        assertThat(FieldCoercion.DECIMAL.coerce("3.50").text).isEqualTo("3.50");
        assertThat(FieldCoercion.DECIMAL.coerce("3.50").kind).isEqualTo(Kind.NUMBER);
        assertThat(FieldCoercion.DECIMAL.coerce("1e5").text).isEqualTo("1e5");
        assertThat(FieldCoercion.INTEGER.coerce("18446744073709551615").kind)
                .isEqualTo(Kind.NUMBER);
    }

    @Test
    void keepsNumbersJsonCannotWriteAsStringsForElasticsearchToCoerce() {
        FieldCoercion.Coerced leadingZero = FieldCoercion.INTEGER.coerce("007");
        assertThat(leadingZero.kind).isEqualTo(Kind.STRING);
        assertThat(leadingZero.text).isEqualTo("007");
        assertThat(FieldCoercion.DECIMAL.coerce(".5").kind).isEqualTo(Kind.STRING);
        assertThat(FieldCoercion.DECIMAL.coerce("+1.5").text).isEqualTo("+1.5");
    }

    @Test
    void refusesTextThatIsNotOfTheMappedType() {
        assertThat(FieldCoercion.INTEGER.coerce("abc").kind).isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.INTEGER.coerce("").kind).isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.INTEGER.coerce("4.2").kind).isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.INTEGER.coerce("99999999999999999999").kind)
                .isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.DECIMAL.coerce("NaN").kind).isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.DECIMAL.coerce("Infinity").kind).isEqualTo(Kind.REFUSED);
        assertThat(FieldCoercion.BOOLEAN.coerce("yes").kind).isEqualTo(Kind.REFUSED);
    }

    @Test
    void leavesUndeclaredAndTextualFieldsAlone() {
        assertThat(FieldCoercion.forMappingType(null)).isEqualTo(FieldCoercion.STRING);
        assertThat(FieldCoercion.forMappingType("date")).isEqualTo(FieldCoercion.DATE);
        assertThat(FieldCoercion.forMappingType("object")).isEqualTo(FieldCoercion.JSON);
        assertThat(FieldCoercion.forMappingType("keyword")).isEqualTo(FieldCoercion.STRING);
        assertThat(FieldCoercion.forMappingType("long")).isEqualTo(FieldCoercion.INTEGER);
        assertThat(FieldCoercion.forMappingType("half_float")).isEqualTo(FieldCoercion.DECIMAL);
        assertThat(FieldCoercion.STRING.coerce("0042").text).isEqualTo("0042");
        assertThat(FieldCoercion.BOOLEAN.coerce("true").kind).isEqualTo(Kind.BOOLEAN);
    }
}
