package io.github.redisessync.job.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a YAML configuration and applies its overrides, lowest first: the file, then environment
 * variables ({@code REDIS_URL}, {@code ES_URL}, {@code REDIS_CA_FILE}, {@code ES_CA_FILE}, {@code
 * REDIS_ES_SYNC_<PATH>} such as {@code REDIS_ES_SYNC_SINK_BULK_FLUSH_MAX_ACTIONS}), then {@code
 * --set path=value}, then the command's own options. Remembers where each value came from, so an
 * error names the file, variable or option along with the setting's path.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    /** Prefix of the environment variables that override settings. */
    public static final String ENV_PREFIX = "REDIS_ES_SYNC_";

    static final ObjectMapper YAML =
            new ObjectMapper(
                            new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
                    .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                    .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private final Path file;
    private final ObjectNode tree;
    private final Map<String, String> origins = new HashMap<>();

    private ConfigLoader(Path file, ObjectNode tree) {
        this.file = file;
        this.tree = tree;
    }

    /** Starts from {@code file}, or from an empty configuration when it is null. */
    public static ConfigLoader read(Path file) {
        if (file == null) {
            return new ConfigLoader(null, YAML.createObjectNode());
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Configuration file " + file + " does not exist.");
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e + ".");
        }
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    file
                            + ": line "
                            + e.getLocation().getLineNr()
                            + ", column "
                            + e.getLocation().getColumnNr()
                            + ": not valid YAML: "
                            + YamlMessages.oneLine(e.getOriginalMessage()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigLoader(file, YAML.createObjectNode());
        }
        if (!root.isObject()) {
            throw new ConfigException(
                    file + ": expected a mapping of settings (redis:, mappings:, ...) at the top.");
        }
        return new ConfigLoader(file, (ObjectNode) root);
    }

    /** The configuration file, or null. */
    public Path file() {
        return file;
    }

    /**
     * Applies {@code REDIS_URL}, {@code ES_URL}, the CA files ({@code REDIS_CA_FILE}, {@code
     * ES_CA_FILE}), the client certificate ({@code ES_CLIENT_CERT_FILE}, {@code
     * ES_CLIENT_KEY_FILE}) and every {@code REDIS_ES_SYNC_*} setting.
     */
    public ConfigLoader applyEnvironment(Map<String, String> environment) {
        Map<String, String> sorted = new TreeMap<>(environment);
        if (sorted.containsKey("REDIS_URL")) {
            set(List.of("redis", "url"), sorted.get("REDIS_URL"), "REDIS_URL");
        }
        if (sorted.containsKey("ES_URL")) {
            set(List.of("elasticsearch", "url"), sorted.get("ES_URL"), "ES_URL");
        }
        if (sorted.containsKey("REDIS_CA_FILE")) {
            set(List.of("redis", "ca-file"), sorted.get("REDIS_CA_FILE"), "REDIS_CA_FILE");
        }
        if (sorted.containsKey("ES_CA_FILE")) {
            set(List.of("elasticsearch", "ca-file"), sorted.get("ES_CA_FILE"), "ES_CA_FILE");
        }
        for (String file : List.of("client-cert-file", "client-key-file")) {
            String variable = "ES_" + file.toUpperCase(Locale.ROOT).replace('-', '_');
            if (sorted.containsKey(variable)) {
                set(List.of("elasticsearch", file), sorted.get(variable), variable);
            }
        }
        for (Map.Entry<String, String> variable : sorted.entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            List<Object> path =
                    EnvironmentNames.settingPath(name.substring(ENV_PREFIX.length()), tree);
            if (path != null) {
                set(path, variable.getValue(), name);
            } else {
                // Other tools share the prefix (the launcher's REDIS_ES_SYNC_HEAP).
                LOG.debug("Environment variable {} names no setting; ignored.", name);
            }
        }
        return this;
    }

    /** Applies {@code path=value}; the value is read as YAML ({@code 10}, {@code [a, b]}). */
    public ConfigLoader set(String assignment, String origin) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(
                    origin
                            + " '"
                            + assignment
                            + "' is not PATH=VALUE, e.g. sink.bulk-flush-max-actions=500.");
        }
        set(ConfigPath.parse(assignment.substring(0, eq)), assignment.substring(eq + 1), origin);
        return this;
    }

    /** Sets {@code path} to {@code value} (read as YAML) unless the value is null. */
    public ConfigLoader set(List<Object> path, String value, String origin) {
        if (value == null) {
            return this;
        }
        JsonNode node;
        try {
            node = value.isEmpty() ? YAML.nullNode() : YAML.readTree(value);
        } catch (JsonProcessingException e) {
            node = YAML.getNodeFactory().textNode(value);
        }
        return set(path, node == null || node.isMissingNode() ? YAML.nullNode() : node, origin);
    }

    /** Sets {@code path} to a JSON value, creating the objects and list entries on the way. */
    public ConfigLoader set(List<Object> path, JsonNode value, String origin) {
        JsonNode parent = tree;
        for (int i = 0; i < path.size(); i++) {
            Object segment = path.get(i);
            boolean last = i == path.size() - 1;
            Object next = last ? null : path.get(i + 1);
            JsonNode child;
            if (segment instanceof Integer) {
                int index = (Integer) segment;
                if (!(parent instanceof ArrayNode) || index > parent.size()) {
                    throw new ConfigException(
                            describe(ConfigPath.format(path), origin)
                                    + ": there is no "
                                    + ConfigPath.format(path.subList(0, i + 1))
                                    + " to set (a list index may add one entry at the end).");
                }
                ArrayNode array = (ArrayNode) parent;
                if (last) {
                    if (index == array.size()) {
                        array.add(value);
                    } else {
                        array.set(index, value);
                    }
                    break;
                }
                child = index < array.size() ? array.get(index) : null;
                if (child == null || !child.isContainerNode()) {
                    child =
                            next instanceof Integer
                                    ? YAML.createArrayNode()
                                    : YAML.createObjectNode();
                    if (index == array.size()) {
                        array.add(child);
                    } else {
                        array.set(index, child);
                    }
                }
            } else {
                if (!(parent instanceof ObjectNode)) {
                    throw new ConfigException(
                            describe(ConfigPath.format(path), origin)
                                    + ": "
                                    + ConfigPath.format(path.subList(0, i))
                                    + " is a list; expected an index such as ["
                                    + 0
                                    + "] before '"
                                    + segment
                                    + "'.");
                }
                ObjectNode object = (ObjectNode) parent;
                if (last) {
                    object.set((String) segment, value);
                    break;
                }
                child = object.get((String) segment);
                if (child == null || !child.isContainerNode()) {
                    child =
                            next instanceof Integer
                                    ? YAML.createArrayNode()
                                    : YAML.createObjectNode();
                    object.set((String) segment, child);
                }
            }
            parent = child;
        }
        origins.put(ConfigPath.format(path), origin);
        return this;
    }

    /** The typed configuration; a key or value of the wrong kind is named with its path. */
    public LoadedConfig load() {
        try {
            return new LoadedConfig(YAML.treeToValue(tree, JobConfig.class), file, origins);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            throw new ConfigException(
                    describe(path, origins.get(path))
                            + ": unknown setting '"
                            + e.getPropertyName()
                            + "'; expected one of "
                            + known(e.getKnownPropertyIds())
                            + ".");
        } catch (MismatchedInputException e) {
            String path = path(e);
            throw new ConfigException(
                    describe(path, origin(path))
                            + ": expected "
                            + expected(e.getTargetType())
                            + ", was "
                            + shown(path)
                            + ".");
        } catch (JsonMappingException e) {
            String path = path(e);
            throw new ConfigException(
                    describe(path, origin(path)) + ": " + e.getOriginalMessage() + ".");
        } catch (JsonProcessingException e) {
            throw new ConfigException(describe("", null) + ": " + e.getOriginalMessage() + ".");
        }
    }

    private String origin(String path) {
        for (String p = path; !p.isEmpty(); p = parentOf(p)) {
            if (origins.containsKey(p)) {
                return origins.get(p);
            }
        }
        return null;
    }

    private static String parentOf(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }

    /** "conf/shop.yaml: mappings[2].index" or "mappings[2].index (from --set)". */
    String describe(String path, String origin) {
        String where = origin != null ? "" : file != null ? file + ": " : "configuration: ";
        return where
                + (path.isEmpty() ? "(top level)" : path)
                + (origin != null ? " (from " + origin + ")" : "");
    }

    private String shown(String path) {
        JsonNode node = tree;
        for (Object segment : ConfigPath.parse(path)) {
            node =
                    segment instanceof Integer
                            ? node.path((Integer) segment)
                            : node.path((String) segment);
        }
        if (node.isMissingNode()) {
            return "missing";
        }
        String text =
                node.isContainerNode()
                        ? (node.isArray() ? "a list " : "a mapping ") + node
                        : node.isTextual() ? "'" + node.asText() + "'" : node.toString();
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static String path(JsonMappingException e) {
        List<Object> segments = new ArrayList<>();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                segments.add(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                segments.add(ref.getIndex());
            }
        }
        return ConfigPath.format(segments);
    }

    private static String known(Collection<Object> ids) {
        return ids.stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value (text)";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping of settings (key: value)";
    }
}
