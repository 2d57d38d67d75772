package dev.switchyard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The byte searches the stream pass-through relies on to decide which chunks to parse. */
class BytesTest {
    @Test
    void memberValueIsRecognisedByItsFirstCharacterWhateverTheSpacing() {
        String compact = "{\"choices\":[{\"finish_reason\":\"stop\"}]}";
        String spaced = "{\"choices\": [{\"finish_reason\" :\n\t\"length\"}]}";
        assertThat(Bytes.hasMemberStartingWith(compact, 0, "\"finish_reason\"", '"')).isTrue();
        assertThat(Bytes.hasMemberStartingWith(spaced, 0, "\"finish_reason\"", '"')).isTrue();
    }

    @Test
    void nullValuesDoNotCountButALaterMatchDoes() {
        String allNull = "{\"choices\":[{\"finish_reason\":null}],\"usage\":null}";
        assertThat(Bytes.hasMemberStartingWith(allNull, 0, "\"finish_reason\"", '"')).isFalse();
        assertThat(Bytes.hasMemberStartingWith(allNull, 0, "\"usage\"", '{')).isFalse();
        // n > 1: the first choice is still running, the second has finished
        String second = "{\"choices\":[{\"index\":0,\"finish_reason\":null},{\"index\":1,\"finish_reason\":\"stop\"}]}";
        assertThat(Bytes.hasMemberStartingWith(second, 0, "\"finish_reason\"", '"')).isTrue();
    }

    @Test
    void aKeyUsedAsAValueIsNotAMember() {
        String text = "{\"object\":\"usage\",\"x\":{\"a\":1}}";
        assertThat(Bytes.hasMemberStartingWith(text, 0, "\"usage\"", '{')).isFalse();
        assertThat(Bytes.hasMemberStartingWith(text, 0, "\"usage\"", ',')).isFalse();
    }

    @Test
    void latin1KeepsByteOffsets() {
        byte[] utf8 = "{\"c\":\"é\",\"usage\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String text = Bytes.latin1(utf8);
        assertThat(text).hasSize(utf8.length);
        int at = text.indexOf("\"usage\"");
        assertThat(Bytes.indexOf(utf8, 0, utf8.length, Bytes.ascii("\"usage\""))).isEqualTo(at);
    }
}
