package io.vigil.common.kafka;

import java.io.Serializable;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * How Vigil's Kafka clients reach the cluster: the bootstrap servers and the client settings a
 * secured cluster needs (security.protocol, sasl.*, ssl.*), given as {@code vigil.kafka.client.*}
 * settings or, for secrets, {@code VIGIL_KAFKA_CLIENT_*} environment variables (from a Kubernetes
 * Secret). Every producer, consumer and admin client the job, the tools and the console create gets
 * them.
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> client)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Settings prefix: {@code vigil.kafka.client.sasl.mechanism=SCRAM-SHA-512}. */
    public static final String PREFIX = "vigil.kafka.client.";

    /** Settings Vigil makes itself for correctness; a user value would silently break it. */
    static final Set<String> RESERVED =
            Set.of(
                    "bootstrap.servers",
                    "key.serializer",
                    "value.serializer",
                    "key.deserializer",
                    "value.deserializer",
                    "transactional.id",
                    "enable.idempotence",
                    "acks",
                    "isolation.level",
                    "group.id",
                    "enable.auto.commit",
                    "auto.offset.reset");

    private static final Set<String> KNOWN = known();

    public KafkaConnection {
        client = Map.copyOf(client);
    }

    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /**
     * Client settings from {@code vigil.kafka.client.*} keys (prefix stripped), each checked to be
     * a Kafka client setting Vigil does not manage itself; errors name the setting.
     */
    public static KafkaConnection of(String bootstrapServers, Map<String, ?> prefixed) {
        Map<String, String> client = new TreeMap<>();
        prefixed.forEach(
                (k, v) -> {
                    if (!KNOWN.contains(k)) {
                        throw new ConfigException(
                                PREFIX + k, "(hidden)", "is not a Kafka client setting");
                    }
                    if (RESERVED.contains(k)) {
                        throw new ConfigException(
                                PREFIX + k,
                                "(hidden)",
                                "is set by Vigil itself"
                                        + ("bootstrap.servers".equals(k)
                                                ? "; use vigil.kafka.bootstrap.servers"
                                                : ""));
                    }
                    client.put(k, String.valueOf(v));
                });
        return new KafkaConnection(bootstrapServers, client);
    }

    /**
     * {@code VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG} to {@code vigil.kafka.client.sasl.jaas.config}:
     * every known Kafka client setting has exactly one such variable name.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        for (String key : KNOWN) {
            String name =
                    (PREFIX + key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            if (env.containsKey(name)) {
                out.put(PREFIX + key, env.get(name));
            }
        }
        return out;
    }

    /** Bootstrap servers plus the client settings, for a new client. */
    public Properties properties() {
        Properties p = new Properties();
        p.putAll(client);
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return p;
    }

    /** The client settings with secret values hidden, for logs and the job-start audit. */
    public Map<String, String> describe() {
        Map<String, String> out = new TreeMap<>();
        client.forEach(
                (k, v) ->
                        out.put(
                                k,
                                k.contains("password") || k.contains("jaas") || k.contains("key")
                                        ? "(hidden)"
                                        : v));
        return out;
    }

    private static Set<String> known() {
        Set<String> s = new HashSet<>(ProducerConfig.configNames());
        s.addAll(ConsumerConfig.configNames());
        s.addAll(AdminClientConfig.configNames());
        return Set.copyOf(s);
    }
}
