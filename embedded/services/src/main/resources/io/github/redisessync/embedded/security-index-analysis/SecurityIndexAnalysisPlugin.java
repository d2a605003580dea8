package io.github.redisessync.embedded.plugin;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Test-only: the three analysis components the .security index's "email" analyzer names, which
 * live in the analysis-common module that the integ-test-zip leaves out. Without them the node
 * cannot create the .security index, so no API key, native user or token can be stored. Compiled
 * by SecurityIndexPlugin against the distribution's own jars when a node starts; never shipped.
 */
public class SecurityIndexAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
                "pattern_capture",
                (index, environment, name, settings) -> {
                    boolean preserveOriginal = settings.getAsBoolean("preserve_original", true);
                    Pattern[] patterns =
                            settings.getAsList("patterns").stream()
                                    .map(Pattern::compile)
                                    .toArray(Pattern[]::new);
                    return filter(
                            name,
                            in -> new PatternCaptureGroupTokenFilter(in, preserveOriginal, patterns));
                },
                "unique",
                (index, environment, name, settings) ->
                        filter(name, RemoveDuplicatesTokenFilter::new));
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(
                "uax_url_email",
                (index, environment, name, settings) ->
                        TokenizerFactory.newFactory(name, UAX29URLEmailTokenizer::new));
    }

    private static TokenFilterFactory filter(
            String name, java.util.function.UnaryOperator<TokenStream> create) {
        return new TokenFilterFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public TokenStream create(TokenStream in) {
                return create.apply(in);
            }
        };
    }
}
