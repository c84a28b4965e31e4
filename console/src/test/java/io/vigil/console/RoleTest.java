package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleTest {
    @Test
    void theInvestigatorStandsApartFromTheReviewChain() {
        assertThat(Role.INVESTIGATOR.allows(Role.INVESTIGATOR)).isTrue();
        assertThat(Role.INVESTIGATOR.allows(Role.ANALYST)).isFalse();
        assertThat(Role.ADMIN.allows(Role.INVESTIGATOR)).isFalse();
        assertThat(Role.ANALYST.allows(Role.INVESTIGATOR)).isFalse();
        assertThat(Role.ADMIN.allows(Role.REVIEWER)).isTrue();
        assertThat(Role.REVIEWER.allows(Role.ADMIN)).isFalse();
        assertThat(Role.parse(" investigator ")).isEqualTo(Role.INVESTIGATOR);
    }
}
