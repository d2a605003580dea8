package io.github.redisessync.connector.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DocumentActionTest {

    @Test
    void crossesTheKeyByWithFlinksPojoSerializerNotKryo() throws Exception {
        TypeInformation<DocumentAction> type = TypeInformation.of(DocumentAction.class);
        assertThat(type).isInstanceOf(PojoTypeInfo.class);

        TypeSerializer<DocumentAction> serializer =
                type.createSerializer(new SerializerConfigImpl());
        DocumentAction action =
                DocumentAction.index(
                        "users", "42", 7L, "user:42", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(action, out);
        DocumentAction copy =
                serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(copy).isEqualTo(action);
        assertThat(copy.documentKey()).isEqualTo("users/42");
    }
}
