package io.vigil.local.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster's network: one address per host, links that can be cut and healed. */
class ClusterNetworkTest {
    @Test
    void refusesNamesThatWouldNotFitAnInterfaceName() {
        assertThatThrownBy(() -> ClusterNetwork.create("toolongname", 5, List.of("a")))
                .hasMessageContaining("network name");
        assertThatThrownBy(() -> ClusterNetwork.create("ok", 0, List.of("a")))
                .hasMessageContaining("subnet");
    }

    @Test
    void givesEachHostItsOwnAddressAndCutsAndHealsItsLink() throws Exception {
        try (ClusterNetwork n = ClusterNetwork.create("vgu", 9, List.of("a", "b"))) {
            assertThat(n.address("a")).isNotEqualTo(n.address("b"));
            assertThatThrownBy(() -> n.address("c")).hasMessageContaining("no host c");
            if (!n.isolated()) {
                assertThat(n.address("a")).startsWith("127.0.9.");
                assertThatThrownBy(() -> n.cut("a"))
                        .isInstanceOf(UnsupportedOperationException.class);
                return;
            }
            // Inside namespace a, only its own address (and loopback) is configured.
            String inside = run(n.command("a", List.of("ip", "-4", "-o", "addr", "show")));
            assertThat(inside).contains(n.address("a") + "/24").doesNotContain(n.address("b"));
            n.cut("a");
            assertThat(run(List.of("ip", "-o", "link", "show", "vgu-a"))).contains("state DOWN");
            n.heal("a");
            assertThat(run(List.of("ip", "-o", "link", "show", "vgu-a")))
                    .doesNotContain("state DOWN");
            // A partition between a and b is a route that drops their packets, on both sides.
            n.partition("a", "b");
            assertThat(run(n.command("a", List.of("ip", "route", "show"))))
                    .contains("blackhole " + n.address("b"));
            assertThat(run(n.command("b", List.of("ip", "route", "show"))))
                    .contains("blackhole " + n.address("a"));
            n.heal("a", "b");
            assertThat(run(n.command("a", List.of("ip", "route", "show"))))
                    .doesNotContain("blackhole");
        }
        // Closing removed the namespaces.
        assertThat(run(List.of("ip", "netns", "list"))).doesNotContain("vgu-a");
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
