package io.github.redisessync.job.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollupContributionsTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final RollupSpec BY_CITY_AND_PLAN =
            RollupSpec.builder("users")
                    .sourceIndex("users")
                    .window(Duration.ofHours(1))
                    .groupBy("city", "plan")
                    .build();

    @Test
    void documentIdsArePercentEncodedSoSeparatorsStayUnambiguous() {
        assertThat(RollupContributions.documentId(BY_CITY_AND_PLAN, 0, new String[] {"a|b", "c"}))
                .isEqualTo("users|0|a%7Cb|c");
        assertThat(RollupContributions.documentId(BY_CITY_AND_PLAN, 0, new String[] {"a", "b|c"}))
                .isEqualTo("users|0|a|b%7Cc");
        assertThat(
                        RollupContributions.documentId(
                                BY_CITY_AND_PLAN, -3_600_000, new String[] {"São Paulo", "x/y%"}))
                .isEqualTo("users|-3600000|S%C3%A3o%20Paulo|x%2Fy%25");
        assertThat(RollupContributions.documentId(BY_CITY_AND_PLAN, 0, new String[] {"", "-._~"}))
                .isEqualTo("users|0||-._~");
    }

    @Test
    void documentIdsOver512BytesEndInAHashOfTheGroup() {
        String longValue = "ö".repeat(300);
        String id =
                RollupContributions.documentId(BY_CITY_AND_PLAN, 0, new String[] {longValue, "a"});
        assertThat(id).startsWith("users|0|sha256-").hasSize("users|0|sha256-".length() + 64);
        assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512);
        assertThat(
                        RollupContributions.documentId(
                                BY_CITY_AND_PLAN, 0, new String[] {longValue, "b"}))
                .isNotEqualTo(id);
    }

    @Test
    void readsTimesAsElasticsearchsDefaultDateFormatDoes() {
        long expected = 1_709_288_130_000L; // 2024-03-01T10:15:30Z
        assertThat(RollupContributions.epochMillis(NODES.numberNode(expected))).isEqualTo(expected);
        assertThat(RollupContributions.epochMillis(NODES.textNode("1709288130000")))
                .isEqualTo(expected);
        assertThat(RollupContributions.epochMillis(NODES.textNode("2024-03-01T10:15:30Z")))
                .isEqualTo(expected);
        assertThat(RollupContributions.epochMillis(NODES.textNode("2024-03-01T11:15:30+01:00")))
                .isEqualTo(expected);
        assertThat(RollupContributions.epochMillis(NODES.textNode("2024-03-01T10:15:30")))
                .isEqualTo(expected);
        assertThat(RollupContributions.epochMillis(NODES.textNode("2024-03-01")))
                .isEqualTo(1_709_251_200_000L);
        assertThat(RollupContributions.epochMillis(NODES.textNode("yesterday"))).isNull();
        assertThat(RollupContributions.epochMillis(NODES.booleanNode(true))).isNull();
        assertThat(RollupContributions.epochMillis(null)).isNull();
    }

    @Test
    void readsNumbersFromNumbersAndNumericStringsNormalised() {
        assertThat(RollupContributions.number(NODES.textNode(" 3.50 ")))
                .isEqualTo(RollupContributions.number(NODES.numberNode(3.5)));
        assertThat(RollupContributions.number(NODES.textNode("0.000"))).isEqualTo("0");
        assertThat(RollupContributions.number(NODES.textNode("1e3")).toPlainString())
                .isEqualTo("1000");
        assertThat(RollupContributions.number(NODES.textNode("n/a"))).isNull();
        assertThat(RollupContributions.number(NODES.booleanNode(true))).isNull();
    }
}
