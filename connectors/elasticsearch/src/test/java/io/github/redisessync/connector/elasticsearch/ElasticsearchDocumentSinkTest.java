package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.junit.jupiter.api.Test;

/** The graph the sink adds in front of its writers; no server is contacted. */
class ElasticsearchDocumentSinkTest {

    @Test
    void theSinkKeysByDocumentIntoItsVersionGateSoNoCallerCanLeaveItOut() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromData(
                        List.of(
                                DocumentAction.index(
                                        "users",
                                        "1",
                                        1L,
                                        "user:1",
                                        "{}".getBytes(StandardCharsets.UTF_8))),
                        TypeInformation.of(DocumentAction.class))
                .sinkTo(ElasticsearchDocumentSinkFactory.create(options(Duration.ofMinutes(5))))
                .uid("elasticsearch-sink")
                .name("elasticsearch");
        StreamGraph graph = env.getStreamGraph();

        StreamNode gate =
                graph.getStreamNodes().stream()
                        .filter(node -> node.getOperatorName().endsWith("version-gate"))
                        .findFirst()
                        .orElseThrow();
        // Named after the sink's uid, so that a restored job finds the gate's state.
        assertThat(gate.getTransformationUID()).isEqualTo("elasticsearch-sink: version-gate");
        assertThat(gate.getInEdges())
                .extracting(StreamEdge::getPartitioner)
                .allMatch(partitioner -> partitioner instanceof KeyGroupStreamPartitioner);
        assertThat(gate.getOutEdges())
                .extracting(edge -> graph.getStreamNode(edge.getTargetId()).getOperatorName())
                .singleElement()
                .asString()
                .isEqualTo("elasticsearch: Writer");
    }

    @Test
    void aVersionGateTtlThatIsNotPositiveIsRefusedNamingTheSetting() {
        assertThatThrownBy(
                        () ->
                                ElasticsearchDocumentSinkFactory.create(
                                        options(Duration.ZERO),
                                        new LogRejectedDocuments(),
                                        Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'version-gate.ttl'");
    }

    private static Configuration options(Duration ttl) {
        Configuration options = new Configuration();
        options.set(ElasticsearchSinkOptions.HOSTS, List.of("http://127.0.0.1:1"));
        options.set(ElasticsearchSinkOptions.VERSION_GATE_TTL, ttl);
        return options;
    }
}
