package io.vigil.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.common.config.Settings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

    private static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        return m;
    }

    @Test
    void clientSettingsReachEveryClientAndSecretsStayOutOfDescriptions() {
        Map<String, String> m = minimal();
        m.put("vigil.kafka.client.security.protocol", "SASL_SSL");
        m.put("vigil.kafka.client.ssl.truststore.password", "s3cret");
        KafkaConnection k = new KafkaSettings(m).kafka();
        assertThat(k.properties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.password", "s3cret")
                .containsEntry("bootstrap.servers", "localhost:9092");
        assertThat(k.describe())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("ssl.truststore.password", "(hidden)");
    }

    @Test
    void environmentVariablesMapToExactlyOneSetting() {
        Map<String, String> env =
                Map.of(
                        "VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG", "x required;",
                        "VIGIL_KAFKA_CLIENT_NOT_A_SETTING", "y",
                        "VIGIL_MATCH_THRESHOLD", "0.95");
        assertThat(KafkaConnection.fromEnvironment(env))
                .containsExactly(Map.entry("vigil.kafka.client.sasl.jaas.config", "x required;"));
        KafkaSettings c =
                new KafkaSettings(Settings.load(null, env, minimal(), KafkaSettings.CONFIG));
        assertThat(c.kafka().client()).containsEntry("sasl.jaas.config", "x required;");
    }

    @Test
    void unknownAndVigilManagedSettingsAreRefusedByName() {
        Map<String, String> m = minimal();
        m.put("vigil.kafka.client.sasl.mechansim", "PLAIN");
        assertThatThrownBy(() -> new KafkaSettings(m))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.kafka.client.sasl.mechansim")
                .hasMessageContaining("not a Kafka client setting");
        m.remove("vigil.kafka.client.sasl.mechansim");
        m.put("vigil.kafka.client.isolation.level", "read_uncommitted");
        assertThatThrownBy(() -> new KafkaSettings(m))
                .hasMessageContaining("vigil.kafka.client.isolation.level")
                .hasMessageContaining("set by Vigil");
        m.remove("vigil.kafka.client.isolation.level");
        m.put("vigil.kafka.client.bootstrap.servers", "other:9092");
        assertThatThrownBy(() -> new KafkaSettings(m))
                .hasMessageContaining("use vigil.kafka.bootstrap.servers");
    }
}
