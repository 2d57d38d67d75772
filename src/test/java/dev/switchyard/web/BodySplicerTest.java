package dev.switchyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.BodySplicer;
import dev.switchyard.model.InboundRequest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The byte-splicing fast path: the upstream body must be the client's JSON with only the intended edits. */
class BodySplicerTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final String MSG = "\"messages\":[{\"role\":\"user\",\"content\":\"héllo \\\"x\\\" 😀\"}]";

    private static JsonNode splice(String body, String model, boolean forceUsage) throws Exception {
        InboundRequest r = RequestScannerTest.chat(body);
        Buffer out = BodySplicer.forUpstream(r, model, forceUsage);
        return M.readTree(out.getBytes()); // throws if the splice broke the JSON
    }

    /** The client's body as a tree with the edits a correct splice makes. */
    private static ObjectNode expected(String body, String model) throws Exception {
        ObjectNode o = (ObjectNode) M.readTree(body);
        o.put("model", model);
        o.remove("models");
        return o;
    }

    @Test
    void onlyTheModelChangesAndTheRestIsByteIdentical() {
        String body = "{ \"model\" : \"fast\" ,\n " + MSG + ", \"temperature\":0.20, \"x\":{\"model\":\"inner\"}}";
        Buffer out = BodySplicer.forUpstream(RequestScannerTest.chat(body), "gpt-4o-mini", false);
        assertThat(out.toString()).isEqualTo(body.replace("\"fast\"", "\"gpt-4o-mini\""));
    }

    @Test
    void upstreamModelNamesAreEscaped() throws Exception {
        JsonNode got = splice("{\"model\":\"m\"," + MSG + "}", "we\"ird\\name\u0001", false);
        assertThat(got.get("model").asText()).isEqualTo("we\"ird\\name\u0001");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"models\":[\"a\",\"b\"],\"model\":\"m\"," + MSG + "}",
            "{\"model\":\"m\",\"models\":[\"a\"]," + MSG + "}",
            "{\"model\":\"m\"," + MSG + ",\"models\":[\"a\"]}",
            "{\"model\":\"m\"," + MSG + " , \"models\" : [ \"a\" , \"b\" ] }",
            "{\n  \"models\" : [\"a\"] ,\n  \"model\":\"m\",\n  " + MSG + "\n}",
            "{\"model\":\"m\"," + MSG + ",\"models\":null}",
            "{\"model\":\"m\"," + MSG + ",\"stream\":true,\"models\":[\"a\"]}",
            "{\"models\":[\"a\"],\"model\":\"m\"," + MSG + ",\"stream\":true}",
            "{\"models\":[\"a\"],\"model\":\"m\"," + MSG + ",\"stream\":true,\"stream_options\":{\"include_usage\":false}}",
            "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"x\":1},\"models\":[\"a\"]," + MSG + "}",
    })
    void modelsOverrideIsCutCleanlyWhereverItSits(String body) throws Exception {
        for (boolean force : new boolean[] {false, true}) {
            JsonNode got = splice(body, "up", force);
            ObjectNode want = expected(body, "up");
            if (force && want.path("stream").asBoolean()) {
                ObjectNode so = want.has("stream_options") ? (ObjectNode) want.get("stream_options") : want.putObject("stream_options");
                so.put("include_usage", true);
            }
            assertThat(got).as("force=%s body=%s", force, body).isEqualTo(want);
        }
    }

    @Test
    void streamOptionsAreAddedWhenAbsent() throws Exception {
        String body = "{\"model\":\"m\"," + MSG + ",\"stream\":true}";
        JsonNode got = splice(body, "up", true);
        assertThat(got.get("stream_options")).isEqualTo(M.readTree("{\"include_usage\":true}"));
        // and never for a non-streaming request or when not forced
        assertThat(splice("{\"model\":\"m\"," + MSG + "}", "up", true).has("stream_options")).isFalse();
        assertThat(splice(body, "up", false).has("stream_options")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"include_usage\":false}",
            "{ \"include_usage\" : false }",
            "{\"include_usage\":null}",
            "{}",
            "{ }",
            "{\"include_usage\":false,\"chunk_size\":3}",
            "{\"chunk_size\":3,\"include_usage\":false}",
            "{\"chunk_size\":3, \"include_usage\": false, \"other\":{\"a\":[1,2]}}",
            "{\"other\":{\"note\":\"\\\"include_usage\\\":false\"}}",
    })
    void streamOptionsAreMergedWithWhatTheClientSent(String options) throws Exception {
        String body = "{\"model\":\"m\"," + MSG + ",\"stream\":true,\"stream_options\":" + options + "}";
        JsonNode got = splice(body, "up", true);
        ObjectNode want = (ObjectNode) M.readTree(options);
        want.put("include_usage", true);
        assertThat(got.get("stream_options")).isEqualTo(want);
        assertThat(got.get("model").asText()).isEqualTo("up");
        assertThat(got.get("messages")).isEqualTo(M.readTree(body).get("messages"));
    }

    @Test
    void nullStreamOptionsAreReplacedNotDuplicated() throws Exception {
        String body = "{\"model\":\"m\"," + MSG + ",\"stream\":true,\"stream_options\":null}";
        Buffer out = BodySplicer.forUpstream(RequestScannerTest.chat(body), "up", true);
        String text = out.toString();
        assertThat(text.indexOf("\"stream_options\"")).as("one stream_options member in %s", text)
                .isEqualTo(text.lastIndexOf("\"stream_options\""));
        assertThat(M.readTree(out.getBytes()).get("stream_options")).isEqualTo(M.readTree("{\"include_usage\":true}"));
    }

    @Test
    void clientsOwnUsageRequestIsLeftAlone() {
        String body = "{\"model\":\"m\"," + MSG + ",\"stream\":true,\"stream_options\":{\"include_usage\":true,\"x\":1}}";
        Buffer out = BodySplicer.forUpstream(RequestScannerTest.chat(body), "m", true);
        assertThat(out.toString()).isEqualTo(body);
    }

    /** Random member orders and whitespace: every splice parses and equals the intended tree. */
    @Test
    void randomLayoutsAlwaysSpliceToValidJson() throws Exception {
        Random rnd = new Random(7);
        String[] ws = {"", " ", "\n", "\t ", "\r\n  "};
        for (int i = 0; i < 300; i++) {
            List<String> members = new ArrayList<>(List.of("\"model\":\"m\"", MSG, "\"stream\":true", "\"temperature\":0.5"));
            if (rnd.nextBoolean()) members.add("\"models\":[\"a\",\"b\"]");
            if (rnd.nextBoolean()) members.add("\"stream_options\":" + (rnd.nextBoolean() ? "{\"include_usage\":false}" : "{\"k\":\"v\"}"));
            java.util.Collections.shuffle(members, rnd);
            StringBuilder b = new StringBuilder("{");
            for (int m = 0; m < members.size(); m++) {
                if (m > 0) b.append(ws[rnd.nextInt(ws.length)]).append(',');
                b.append(ws[rnd.nextInt(ws.length)]);
                String member = members.get(m);
                b.append(member.replaceFirst(":", ws[rnd.nextInt(ws.length)] + ":" + ws[rnd.nextInt(ws.length)]));
            }
            b.append(ws[rnd.nextInt(ws.length)]).append('}');
            String body = b.toString();
            JsonNode got = splice(body, "upstream-model", true);
            ObjectNode want = expected(body, "upstream-model");
            ObjectNode so = want.has("stream_options") ? (ObjectNode) want.get("stream_options") : want.putObject("stream_options");
            so.put("include_usage", true);
            assertThat(got).as("body %s", body).isEqualTo(want);
        }
    }
}
