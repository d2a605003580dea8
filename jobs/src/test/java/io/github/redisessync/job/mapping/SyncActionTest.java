package io.github.redisessync.job.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.redisessync.connector.elasticsearch.DocumentAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

class SyncActionTest {

    private static final DocumentAction WRITE =
            DocumentAction.index(
                    "users", "42", 7L, "user:42", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void everyKindCrossesTheKeyBysWithFlinksPojoSerializerNotKryo() throws Exception {
        TypeInformation<SyncAction> type = TypeInformation.of(SyncAction.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);
        PojoTypeInfo<SyncAction> pojo = (PojoTypeInfo<SyncAction>) type;
        assertThat(pojo.getTypeAt(pojo.getFieldIndex("document"))).isInstanceOf(PojoTypeInfo.class);

        TypeSerializer<SyncAction> serializer = type.createSerializer(new SerializerConfigImpl());
        for (SyncAction action :
                List.of(
                        SyncAction.write(WRITE),
                        SyncAction.catchUpFinished(List.of("users", "orders"), 9L),
                        SyncAction.refresh("rollup", "r|1|x", 11L))) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            serializer.serialize(action, out);
            SyncAction copy =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(copy).isEqualTo(action);
            assertThat(copy.documentKey()).isEqualTo(action.documentKey());
        }
    }

    @Test
    void aWriteIsKeyedLikeItsDocumentSoRollupStateKeepsItsKeys() {
        assertThat(SyncAction.write(WRITE).documentKey()).isEqualTo(WRITE.documentKey());
        assertThat(SyncAction.write(WRITE).getVersion()).isEqualTo(7L);
    }

    @Test
    void onlyWritesReachTheSink() {
        List<DocumentAction> passed = new java.util.ArrayList<>();
        Collector<DocumentAction> out =
                new Collector<>() {
                    @Override
                    public void collect(DocumentAction record) {
                        passed.add(record);
                    }

                    @Override
                    public void close() {}
                };
        SyncWrites writes = new SyncWrites();
        writes.flatMap(SyncAction.catchUpFinished(List.of("users"), 1L), out);
        writes.flatMap(SyncAction.write(WRITE), out);
        writes.flatMap(SyncAction.refresh("rollup", "r|1|x", 2L), out);

        assertThat(passed).containsExactly(WRITE);
        assertThat(SyncAction.catchUpFinished(List.of("users"), 1L).catchUpIndexes())
                .containsExactly("users");
    }
}
