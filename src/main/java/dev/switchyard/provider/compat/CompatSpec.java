package dev.switchyard.provider.compat;

import java.util.Map;
import java.util.List;

/**
 * One member of the OpenAI-compatible family, as data: where it lives, how it authenticates, and
 * which parameters it spells differently or refuses. Adding a provider means adding one of these.
 *
 * @param defaultBaseUrl   null when the operator must give {@code base_url}
 * @param streamUsage      how the provider reports usage on streams
 * @param renamedParams    top-level request fields it spells differently (OpenAI name → its name)
 * @param droppedParams    top-level request fields it rejects; removed and named in a header
 * @param dropMessageNames it rejects {@code messages[].name}
 * @param stripReasoning   it rejects an assistant message's {@code reasoning_content} sent back (DeepSeek)
 * @param shortToolIds     it needs tool-call ids of 9 letters/digits (Mistral), so ids from others are re-mapped
 */
public record CompatSpec(
        String type,
        String defaultBaseUrl,
        Auth auth,
        boolean needsKey,
        StreamUsage streamUsage,
        Map<String, String> renamedParams,
        List<String> droppedParams,
        boolean dropMessageNames,
        boolean stripReasoning,
        boolean shortToolIds) {

    public enum Auth {
        /** {@code Authorization: Bearer <key>} */
        BEARER,
        /** no credential needed; a configured key is still sent as Bearer */
        OPTIONAL_BEARER
    }

    public enum StreamUsage {
        /** only with {@code stream_options.include_usage}: the gateway asks for it */
        ASK,
        /** always on the last chunk: asking is unnecessary (and some of these reject the option) */
        ALWAYS
    }

    public boolean hasQuirks() {
        return !renamedParams.isEmpty() || !droppedParams.isEmpty() || dropMessageNames || stripReasoning || shortToolIds;
    }

    public static CompatSpec plain(String type, String baseUrl, Auth auth, StreamUsage usage) {
        return new CompatSpec(type, baseUrl, auth, auth == Auth.BEARER, usage, Map.of(), List.of(), false, false, false);
    }
}
