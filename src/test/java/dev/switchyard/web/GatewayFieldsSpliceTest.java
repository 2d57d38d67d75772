package dev.switchyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchyard.model.BodySplicer;
import dev.switchyard.model.InboundRequest;
import dev.switchyard.model.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gateway-only members ({@code models}, {@code raw_params}) are cut from the spliced body. Cuts take a neighbouring
 * comma each, so members that stand next to each other must not claim the same one: every order of the members,
 * with and without whitespace, must splice into valid JSON equal to the request minus those members.
 */
class GatewayFieldsSpliceTest {
    private static final ObjectMapper M = new ObjectMapper();
    private static final List<String> MEMBERS = List.of(
            "\"model\":\"chat\"",
            "\"messages\":[{\"role\":\"user\",\"content\":\"a,b \\\"models\\\"\"}]",
            "\"models\":[\"chat\",\"other\"]",
            "\"raw_params\":{\"openai\":{\"x\":[1,{\"y\":\",\"}]}}",
            "\"stream\":true",
            "\"temperature\":0.5");

    @Test
    void everyOrderOfMembersSplicesIntoValidJson() throws Exception {
        Random rnd = new Random(42);
        int checked = 0;
        for (List<String> order : permutations(MEMBERS)) {
            for (String ws : List.of("", " ", "\n  ", " \t")) {
                byte[] body = join(order, ws, rnd).getBytes(StandardCharsets.UTF_8);
                InboundRequest req = RequestScanner.scan(body, Operation.CHAT);
                assertThat(req.rawParams()).isTrue();
                assertThat(req.modelsOverride()).containsExactly("chat", "other");
                for (boolean forceUsage : new boolean[] {false, true}) {
                    String out = BodySplicer.forUpstream(req, "up-model", forceUsage).toString();
                    JsonNode got;
                    try {
                        got = M.readTree(out);
                    } catch (Exception e) {
                        throw new AssertionError("not JSON after splicing " + new String(body, StandardCharsets.UTF_8) + ": " + out, e);
                    }
                    ObjectNode want = (ObjectNode) M.readTree(body);
                    want.remove(List.of("models", "raw_params"));
                    want.put("model", "up-model");
                    if (forceUsage) want.putObject("stream_options").put("include_usage", true);
                    assertThat(got).as("%s → %s", new String(body, StandardCharsets.UTF_8), out).isEqualTo(want);
                    checked++;
                }
            }
        }
        assertThat(checked).isEqualTo(720 * 4 * 2);
    }

    @Test
    void aBodyOfOnlyGatewayMembersBesideTheRequiredOnesKeepsItsShape() throws Exception {
        String body = "{\"models\":[\"a\"] , \"raw_params\":null,\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"raw_params\":{},\"models\":null}";
        InboundRequest req = RequestScanner.scan(body.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
        String out = BodySplicer.forUpstream(req, "u", false).toString();
        assertThat(M.readTree(out)).isEqualTo(M.readTree("{\"model\":\"u\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"));
    }

    @Test
    void rawParamsFlagFollowsTheMember() {
        assertThat(scan("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").rawParams()).isFalse();
        assertThat(scan("{\"model\":\"m\",\"raw_params\":null,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").rawParams()).isFalse();
        assertThat(scan("{\"model\":\"m\",\"raw_params\":{},\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}").rawParams()).isTrue();
        InboundRequest embed = RequestScanner.scan("{\"model\":\"e\",\"input\":\"x\",\"raw_params\":{\"gemini\":{}}}"
                .getBytes(StandardCharsets.UTF_8), Operation.EMBEDDINGS);
        assertThat(embed.rawParams()).isTrue();
        assertThat(BodySplicer.forUpstream(embed, "u", false).toString()).isEqualTo("{\"model\":\"u\",\"input\":\"x\"}");
    }

    private static InboundRequest scan(String body) {
        return RequestScanner.scan(body.getBytes(StandardCharsets.UTF_8), Operation.CHAT);
    }

    /** Members joined with {@code ws} around some of the commas and braces, chosen at random. */
    private static String join(List<String> members, String ws, Random rnd) {
        StringBuilder b = new StringBuilder("{").append(rnd.nextBoolean() ? ws : "");
        for (int i = 0; i < members.size(); i++) {
            if (i > 0) b.append(rnd.nextBoolean() ? ws : "").append(',').append(rnd.nextBoolean() ? ws : "");
            b.append(members.get(i));
        }
        return b.append(rnd.nextBoolean() ? ws : "").append('}').toString();
    }

    private static List<List<String>> permutations(List<String> items) {
        if (items.isEmpty()) return List.of(List.of());
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String> rest = new ArrayList<>(items);
            String head = rest.remove(i);
            for (List<String> p : permutations(rest)) {
                List<String> l = new ArrayList<>(p.size() + 1);
                l.add(head);
                l.addAll(p);
                out.add(l);
            }
        }
        return out;
    }
}
