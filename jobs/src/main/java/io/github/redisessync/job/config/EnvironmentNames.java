package io.github.redisessync.job.config;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The setting an environment variable names: {@code REDIS_ES_SYNC_SINK_BULK_FLUSH_MAX_ACTIONS} is
 * {@code sink.bulk-flush-max-actions}, {@code REDIS_ES_SYNC_MAPPINGS_0_INDEX} is {@code
 * mappings[0].index}. Found by walking the schema's types ({@link JobConfig}), since a name's
 * dashes and dots both become underscores; map keys, the user's own names, only where the
 * configuration already has them.
 */
final class EnvironmentNames {

    private EnvironmentNames() {}

    /**
     * The path of the setting {@code name} (the variable's name after the prefix) spells, in the
     * configuration {@code tree} read so far; null when it names none.
     */
    static List<Object> settingPath(String name, JsonNode tree) {
        List<Object> path = new ArrayList<>();
        JavaType root = ConfigLoader.YAML.constructType(JobConfig.class);
        return resolve(name, root, tree, path) ? path : null;
    }

    /** Finds the setting an environment variable name spells, walking the schema's types. */
    private static boolean resolve(String rest, JavaType type, JsonNode node, List<Object> path) {
        if (type.isCollectionLikeType()) {
            int cut = rest.indexOf('_');
            String index = cut < 0 ? rest : rest.substring(0, cut);
            if (!index.matches("\\d+")) {
                return false;
            }
            path.add(Integer.valueOf(index));
            return cut < 0
                    || resolve(
                            rest.substring(cut + 1),
                            type.getContentType(),
                            node.path(Integer.parseInt(index)),
                            path);
        }
        if (type.isMapLikeType()) {
            // Map keys are the user's own names: only keys already in the tree can be matched.
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (matchesPrefix(rest, key)) {
                    path.add(key);
                    String after = rest.substring(envName(key).length());
                    return after.isEmpty()
                            || resolve(
                                    after.substring(1),
                                    type.getContentType(),
                                    node.path(key),
                                    path);
                }
            }
            return false;
        }
        if (type.getRawClass().getName().startsWith("java.")) {
            return false;
        }
        BeanDescription bean = ConfigLoader.YAML.getDeserializationConfig().introspect(type);
        for (BeanPropertyDefinition property : bean.findProperties()) {
            String name = property.getName();
            if (matchesPrefix(rest, name)) {
                path.add(name);
                String after = rest.substring(envName(name).length());
                if (after.isEmpty()) {
                    return true;
                }
                if (resolve(after.substring(1), property.getPrimaryType(), node.path(name), path)) {
                    return true;
                }
                path.remove(path.size() - 1);
            }
        }
        return false;
    }

    private static boolean matchesPrefix(String rest, String name) {
        String env = envName(name);
        return rest.equals(env) || rest.startsWith(env + "_");
    }

    /** {@code bulk-flush-max-actions} as an environment variable part: BULK_FLUSH_MAX_ACTIONS. */
    static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }
}
