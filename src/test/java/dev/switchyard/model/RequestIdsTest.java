package dev.switchyard.model;

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
    void theMillisecondIsReadBackOnlyFromAnIdOfTheMintedShape() {
        assertThat(RequestIds.mintedMillis(RequestIds.mint(1_764_000_000_123L))).isEqualTo(1_764_000_000_123L);
        assertThat(RequestIds.mintedMillis("trace-123")).isEqualTo(-1);
        assertThat(RequestIds.mintedMillis("req_8f3a61c2d4e5b607")).isEqualTo(-1); // the old 16-digit form
        assertThat(RequestIds.mintedMillis("req_019abcdef012ZZZZ567890abcdef01")).isEqualTo(-1);
        assertThat(RequestIds.mintedMillis("req_019ABCDEF0123456789ABCDEF01234")).isEqualTo(-1);
        assertThat(RequestIds.mintedMillis(null)).isEqualTo(-1);
    }

    @Test
    void idsMintedInTheSameMillisecondDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) seen.add(RequestIds.mint(1_700_000_000_000L));
        assertThat(seen).hasSize(10_000);
    }
}
