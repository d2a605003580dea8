package io.github.redisessync.job.sink;

import io.github.redisessync.connector.elasticsearch.RejectedDocument;
import io.github.redisessync.connector.elasticsearch.RejectedDocumentHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps rejected documents in this JVM, where the MiniCluster runs, under a name each test picks,
 * so that a test reads back exactly what its own sink rejected.
 */
final class RecordingRejections implements RejectedDocumentHandler {
    private static final long serialVersionUID = 1L;
    private static final Map<String, List<RejectedDocument>> BY_NAME = new ConcurrentHashMap<>();

    private final String name;

    RecordingRejections(String name) {
        this.name = name;
    }

    static List<RejectedDocument> recorded(String name) {
        return BY_NAME.getOrDefault(name, List.of());
    }

    @Override
    public void rejected(RejectedDocument document) {
        BY_NAME.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(document);
    }
}
