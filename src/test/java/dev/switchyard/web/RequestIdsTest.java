package dev.switchyard.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestIdsTest {
    @Test
    void idsCarryTheirMillisecondFirstSoTheyGrowWithTime() {
        String a = RequestIds.mint(0x18f_0000_0001L);
        String b = RequestIds.mint(0x18f_0000_0002L);
        assertThat(a).matches("req_[0-9a-f]{28}").startsWith("req_018f00000001");
        assertThat(b).startsWith("req_018f00000002");
        assertThat(a).isLessThan(b);
    }

    @Test
    void idsMintedInTheSameMillisecondDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) seen.add(RequestIds.mint(1_700_000_000_000L));
        assertThat(seen).hasSize(10_000);
    }
}
