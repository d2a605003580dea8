package io.github.redisessync.job.mapping;

/** Which field names Elasticsearch would reject or silently restructure. */
final class DocumentFieldNames {

    private DocumentFieldNames() {}

    /** Why {@code field} cannot be a top-level document field name, or null when it can. */
    static String problem(String field) {
        if (field == null || field.isEmpty()) {
            return "is empty";
        }
        if (field.startsWith("_")) {
            return "starts with '_', which Elasticsearch reserves for metadata fields";
        }
        if (field.contains(".")) {
            return "contains '.', which Elasticsearch reads as a path into an object";
        }
        return null;
    }
}
