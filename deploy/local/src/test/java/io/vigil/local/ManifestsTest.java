package io.vigil.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vigil.common.audit.AuditSettings;
import io.vigil.common.kafka.KafkaConnection;
import io.vigil.common.kafka.Topics;
import io.vigil.console.ConsoleConfig;
import io.vigil.ingest.IngestConfig;
import io.vigil.job.PipelineConfig;
import io.vigil.tools.Vigil;
import io.vigil.watchlist.camera.CameraRegistryFile;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests and container files agree with the code: they parse, every resource has
 * what its kind requires, every setting and VIGIL_* variable is one the code knows, the topics
 * match {@link Topics}, and images run the artifacts the build produces.
 */
class ManifestsTest {
    /** The deploy folder: this module runs in deploy/local. */
    static final Path DEPLOY = Path.of("..");

    static final Path K8S = DEPLOY.resolve("k8s");
    static final Path BASE = K8S.resolve("base");
    static final YAMLMapper YAML = new YAMLMapper();

    static List<JsonNode> documents(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it =
                        YAML.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (it.hasNext()) {
                        JsonNode d = it.next();
                        if (d != null && !d.isEmpty()) {
                            docs.add(d);
                        }
                    }
                }
            }
        }
        return docs;
    }

    static Properties settings() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(BASE.resolve("vigil.properties"))) {
            p.load(r);
        }
        return p;
    }

    /** The workload's selector picks its own pods: every selector label is on the template. */
    static void assertSelects(JsonNode workload) {
        JsonNode selector = workload.at("/spec/selector/matchLabels");
        JsonNode labels = workload.at("/spec/template/metadata/labels");
        assertThat(selector.size()).isPositive();
        selector.fields()
                .forEachRemaining(
                        e ->
                                assertThat(labels.path(e.getKey()).asText())
                                        .as(
                                                workload.at("/metadata/name").asText()
                                                        + " "
                                                        + e.getKey())
                                        .isEqualTo(e.getValue().asText()));
    }

    @Test
    void everyResourceParsesAndHasWhatItsKindRequires() throws IOException {
        List<JsonNode> docs = documents(K8S);
        assertThat(docs).hasSizeGreaterThan(8);
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            assertThat(d.path("apiVersion").asText()).as("apiVersion of %s", kind).isNotBlank();
            assertThat(kind).isNotBlank();
            if (kind.equals("Kustomization")) {
                continue;
            }
            assertThat(d.at("/metadata/name").asText()).as("name of a %s", kind).isNotBlank();
        }
        for (JsonNode d : documents(BASE)) {
            String name = d.at("/metadata/name").asText();
            switch (d.path("kind").asText()) {
                case "FlinkDeployment" -> {
                    for (String f :
                            List.of(
                                    "/spec/image",
                                    "/spec/flinkVersion",
                                    "/spec/job/jarURI",
                                    "/spec/job/parallelism",
                                    "/spec/job/upgradeMode",
                                    "/spec/jobManager/resource/memory",
                                    "/spec/taskManager/resource/memory")) {
                        assertThat(d.at(f).isMissingNode()).as(name + f).isFalse();
                    }
                }
                case "Job" -> {
                    JsonNode c = d.at("/spec/template/spec/containers/0");
                    assertThat(c.path("image").asText()).as(name).isNotBlank();
                    assertThat(d.at("/spec/template/spec/restartPolicy").asText())
                            .isIn("OnFailure", "Never");
                    // The registry job runs the tools image; its arguments parse as a vigil
                    // command.
                    assertThat(c.path("image").asText()).startsWith("vigil-tools:");
                    List<String> args = new ArrayList<>();
                    c.path("args").forEach(a -> args.add(a.asText()));
                    assertThat(args).startsWith("cameras");
                    assertThat(
                                    Vigil.commandLine()
                                            .parseArgs(args.toArray(String[]::new))
                                            .subcommand()
                                            .subcommand()
                                            .commandSpec()
                                            .name())
                            .isEqualTo("import");
                }
                case "Deployment" -> {
                    assertSelects(d);
                    // Console accounts come from a Secret, never from the ConfigMap in Git.
                    assertThat(d.toString()).contains("secretName");
                }
                case "StatefulSet" -> {
                    assertThat(d.at("/spec/serviceName").asText()).isNotBlank();
                    assertSelects(d);
                    assertThat(d.at("/spec/template/spec/containers/0/image").asText())
                            .isNotBlank();
                }
                case "KafkaTopic" -> {
                    assertThat(d.at("/metadata/labels/strimzi.io~1cluster").asText())
                            .isEqualTo("vigil");
                    assertThat(d.at("/spec/partitions").asInt()).isPositive();
                    assertThat(d.at("/spec/replicas").asInt()).isPositive();
                }
                case "KafkaNodePool" -> assertThat(d.at("/spec/roles").size()).isPositive();
                case "Kafka" -> assertThat(d.at("/spec/kafka/listeners").size()).isPositive();
                case "Kustomization" -> {
                    for (JsonNode r : d.path("resources")) {
                        assertThat(BASE.resolve(r.asText())).exists();
                    }
                }
                default -> {}
            }
        }
    }

    /** Every setting key of every component's sections. */
    private static Set<String> knownKeys() {
        Set<String> known = new HashSet<>();
        PipelineConfig.SECTIONS.forEach(d -> known.addAll(d.names()));
        known.addAll(IngestConfig.CONFIG.names());
        known.addAll(ConsoleConfig.CONFIG.names());
        return known;
    }

    @Test
    void everySettingAndVariableIsAKeyTheCodeKnowsAndTheSettingsLoad() throws IOException {
        Set<String> known = knownKeys();
        Properties p = settings();
        Map<String, String> client = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            if (k.startsWith(KafkaConnection.PREFIX)) {
                client.put(k.substring(KafkaConnection.PREFIX.length()), p.getProperty(k));
            } else {
                assertThat(known).as("setting %s", k).contains(k);
            }
        }
        // Throws, naming the setting, for a key that is not a Kafka client setting.
        KafkaConnection.of("unused:9093", client);

        Map<String, String> envToKey = new HashMap<>();
        known.forEach(
                k ->
                        envToKey.put(
                                k.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), k));
        Matcher m = Pattern.compile("name: (VIGIL_[A-Z0-9_]+)").matcher(allText(K8S));
        int vars = 0;
        while (m.find()) {
            assertThat(
                            envToKey.containsKey(m.group(1))
                                    || !KafkaConnection.fromEnvironment(Map.of(m.group(1), "x"))
                                            .isEmpty())
                    .as("variable %s", m.group(1))
                    .isTrue();
            vars++;
        }
        assertThat(vars).isPositive();

        Map<String, String> job = new HashMap<>();
        p.stringPropertyNames().forEach(k -> job.put(k, p.getProperty(k)));
        PipelineConfig.of(job);
        // Every camera the ingest streams is registered (the registry job imports cameras.json).
        List<String> registered =
                CameraRegistryFile.read(BASE.resolve("cameras.json"), "test", "test", Instant.now())
                        .stream()
                        .map(c -> c.getCameraId())
                        .toList();
        job.put(IngestConfig.CAMERAS_FILE, BASE.resolve("cameras.txt").toString());
        IngestConfig ingest = new IngestConfig(job);
        assertThat(ingest.allCameras())
                .extracting(c -> c.cameraId())
                .containsExactlyInAnyOrderElementsOf(registered);
    }

    /** The pod spec of each component that talks to Kafka, by its manifest file. */
    static final Map<String, KafkaAccess.Component> POD_FILES =
            Map.of(
                    "flink-deployment.yaml", KafkaAccess.Component.JOB,
                    "ingest.yaml", KafkaAccess.Component.INGEST,
                    "console.yaml", KafkaAccess.Component.CONSOLE,
                    "camera-registry-job.yaml", KafkaAccess.Component.REGISTRY);

    @Test
    void onlyTheConsoleMountsTheReferenceFacesAndFromAVolumeOfItsOwn() throws IOException {
        String dir = settings().getProperty(WatchlistSettings.WATCHLIST_REFERENCES_DIR);
        assertThat(dir).isNotBlank();
        String claim = null;
        for (JsonNode d : documents(BASE.resolve("console.yaml"))) {
            if (d.path("kind").asText().equals("Deployment")) {
                JsonNode spec = d.at("/spec/template/spec");
                String volume = null;
                for (JsonNode m : spec.at("/containers/0/volumeMounts")) {
                    if (m.path("mountPath").asText().equals(dir)) {
                        volume = m.path("name").asText();
                    }
                }
                assertThat(volume).as("console mounts " + dir).isNotNull();
                for (JsonNode v : spec.path("volumes")) {
                    if (v.path("name").asText().equals(volume)) {
                        claim = v.at("/persistentVolumeClaim/claimName").asText(null);
                    }
                }
            }
        }
        assertThat(claim).isEqualTo("vigil-references");
        for (String f :
                List.of("flink-deployment.yaml", "ingest.yaml", "camera-registry-job.yaml")) {
            assertThat(Files.readString(BASE.resolve(f))).as(f).doesNotContain(dir);
        }
    }

    @Test
    void everyAuditWriterMountsTheSigningKeyItIsConfiguredWith() throws IOException {
        Path key = Path.of(settings().getProperty(AuditSettings.SIGNING_KEY_FILE));
        for (String f :
                List.of("flink-deployment.yaml", "console.yaml", "camera-registry-job.yaml")) {
            JsonNode spec = null;
            for (JsonNode d : documents(BASE.resolve(f))) {
                switch (d.path("kind").asText()) {
                    case "FlinkDeployment" -> spec = d.at("/spec/podTemplate/spec");
                    case "Deployment", "Job" -> spec = d.at("/spec/template/spec");
                    default -> {}
                }
            }
            assertThat(spec).as(f).isNotNull();
            String volume = null;
            for (JsonNode m : spec.at("/containers/0/volumeMounts")) {
                if (m.path("mountPath").asText().equals(key.getParent().toString())) {
                    assertThat(m.path("readOnly").asBoolean()).as(f).isTrue();
                    volume = m.path("name").asText();
                }
            }
            assertThat(volume).as(f + ": a mount at " + key.getParent()).isNotNull();
            boolean found = false;
            for (JsonNode v : spec.path("volumes")) {
                if (v.path("name").asText().equals(volume)) {
                    assertThat(v.at("/secret/secretName").asText())
                            .isEqualTo("vigil-audit-signing");
                    assertThat(v.at("/secret/items/0/path").asText())
                            .isEqualTo(key.getFileName().toString());
                    found = true;
                }
            }
            assertThat(found).as(f).isTrue();
        }
    }

    @Test
    void everyPodIsItsOwnKafkaPrincipalOverTlsAndReadsTheSharedSecret() throws IOException {
        for (var e : POD_FILES.entrySet()) {
            String f = e.getKey();
            String text = Files.readString(BASE.resolve(f));
            assertThat(text).as(f).contains("name: vigil-credentials");
            JsonNode spec = null;
            for (JsonNode d : documents(BASE.resolve(f))) {
                switch (d.path("kind").asText()) {
                    case "FlinkDeployment" -> spec = d.at("/spec/podTemplate/spec");
                    case "Deployment", "StatefulSet", "Job" -> spec = d.at("/spec/template/spec");
                    default -> {}
                }
            }
            assertThat(spec).as(f).isNotNull();
            JsonNode container = spec.at("/containers/0");
            JsonNode jaas = null;
            for (JsonNode v : container.path("env")) {
                if (v.path("name").asText().equals("VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG")) {
                    jaas = v.at("/valueFrom/secretKeyRef");
                }
            }
            assertThat(jaas).as(f + ": its own Kafka credentials").isNotNull();
            for (JsonNode from : container.path("envFrom")) {
                assertThat(from.at("/secretRef/optional").asBoolean(false))
                        .as(f + ": a missing Secret stops the pod")
                        .isFalse();
            }
            assertThat(jaas.path("name").asText()).as(f).isEqualTo(e.getValue().user);
            assertThat(jaas.path("key").asText()).isEqualTo("sasl.jaas.config");
            assertThat(jaas.path("optional").asBoolean(false)).as(f + ": fail closed").isFalse();
            assertThat(container.path("volumeMounts").toString())
                    .as(f)
                    .contains("/etc/vigil-kafka-ca");
            assertThat(spec.path("volumes").toString()).as(f).contains("vigil-cluster-ca-cert");
        }
        Map<String, String> env = new HashMap<>();
        for (String line : Files.readAllLines(BASE.resolve("credentials.env.example"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        for (String var : env.keySet()) {
            String key = var.toLowerCase(Locale.ROOT).replace('_', '.');
            assertThat(knownKeys()).as(var).contains(key);
        }
        // What a pod sees: vigil.properties, the shared Secret and its KafkaUser's JAAS line.
        env.put(
                "VIGIL_KAFKA_CLIENT_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"vigil-job\" password=\"x\";");
        PipelineConfig c =
                PipelineConfig.load(
                        BASE.resolve("vigil.properties"),
                        env,
                        Map.of(WatchlistSettings.WATCHLIST_INDEX_DIR, "/tmp/unused"));
        assertThat(c.kafka().client())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/vigil-kafka-ca/ca.crt")
                .containsKey("sasl.jaas.config");
        assertThat(c.kafka().describe().get("sasl.jaas.config")).isEqualTo("(hidden)");
        Map<String, String> ingestEnv = new HashMap<>(env);
        ingestEnv.put("VIGIL_INGEST_CAMERAS_FILE", BASE.resolve("cameras.txt").toString());
        assertThat(IngestConfig.load(BASE.resolve("vigil.properties"), ingestEnv).kafkaClient())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
    }

    @Test
    void kafkaRequiresTlsAndScramAndItsUsersHoldExactlyTheAccessDefinition() throws IOException {
        Properties p = settings();
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        PipelineConfig config = PipelineConfig.of(props);
        Map<String, Set<String>> manifest = new HashMap<>();
        JsonNode kafka = null;
        for (JsonNode d : documents(BASE)) {
            switch (d.path("kind").asText()) {
                case "Kafka" -> kafka = d;
                case "KafkaUser" -> {
                    assertThat(d.at("/spec/authentication/type").asText())
                            .isEqualTo("scram-sha-512");
                    assertThat(d.at("/spec/authorization/type").asText()).isEqualTo("simple");
                    Set<String> grants = new HashSet<>();
                    for (JsonNode acl : d.at("/spec/authorization/acls")) {
                        for (JsonNode op : acl.path("operations")) {
                            grants.add(
                                    acl.at("/resource/type").asText()
                                            + " "
                                            + acl.at("/resource/name").asText()
                                            + " "
                                            + acl.at("/resource/patternType").asText()
                                            + " "
                                            + op.asText());
                        }
                    }
                    manifest.put(d.at("/metadata/name").asText(), grants);
                }
                default -> {}
            }
        }
        Map<String, Set<String>> expected = new HashMap<>();
        KafkaAccess.of(config)
                .forEach(
                        (who, grants) -> {
                            Set<String> g = new HashSet<>();
                            for (KafkaAccess.Grant grant : grants) {
                                for (var op : grant.operations()) {
                                    g.add(
                                            strimzi(grant.type().name())
                                                    + " "
                                                    + grant.name()
                                                    + " "
                                                    + (grant.pattern().name().equals("PREFIXED")
                                                            ? "prefix"
                                                            : "literal")
                                                    + " "
                                                    + capitalized(strimzi(op.name())));
                                }
                            }
                            expected.put(who.user, g);
                        });
        assertThat(manifest).isEqualTo(expected);
        for (Set<String> g : manifest.values()) {
            assertThat(g).noneMatch(x -> x.matches(".* (Delete|Alter|AlterConfigs|All)$"));
        }
        assertThat(kafka).isNotNull();
        assertThat(kafka.at("/spec/kafka/authorization/type").asText()).isEqualTo("simple");
        assertThat(kafka.at("/spec/kafka/listeners").size()).isPositive();
        for (JsonNode l : kafka.at("/spec/kafka/listeners")) {
            assertThat(l.path("tls").asBoolean()).as(l.path("name").asText()).isTrue();
            assertThat(l.at("/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(config.bootstrapServers()).endsWith(":" + l.path("port").asText());
        }
        assertThat(kafka.at("/spec/entityOperator/userOperator").isMissingNode()).isFalse();
    }

    static String capitalized(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** TRANSACTIONAL_ID to transactionalId: Strimzi's spelling of Kafka's enums. */
    static String strimzi(String kafkaEnum) {
        String[] parts = kafkaEnum.toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }

    @Test
    void topicsMatchTheCodesNamesPartitionsAndRetention() throws IOException {
        Properties p = settings();
        Map<String, String> job = new HashMap<>();
        p.stringPropertyNames().forEach(k -> job.put(k, p.getProperty(k)));
        PipelineConfig config = PipelineConfig.of(job);
        Map<String, JsonNode> topics = new HashMap<>();
        for (JsonNode d : documents(BASE)) {
            if (d.path("kind").asText().equals("KafkaTopic")) {
                topics.put(d.at("/metadata/name").asText(), d);
            }
        }
        int framePartitions = topics.get(config.framesTopic()).at("/spec/partitions").asInt();
        List<NewTopic> expected = Topics.all(config.kafkaSettings(), framePartitions);
        assertThat(topics.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(NewTopic::name).toList());
        for (NewTopic t : expected) {
            JsonNode k = topics.get(t.name());
            assertThat(k.at("/spec/partitions").asInt()).as(t.name()).isEqualTo(t.numPartitions());
            t.configs()
                    .forEach(
                            (key, value) ->
                                    assertThat(k.at("/spec/config/" + key).asText())
                                            .as(t.name() + " " + key)
                                            .isEqualTo(value));
        }
        assertThat(config.bootstrapServers()).startsWith("vigil-kafka-bootstrap:");
    }

    @Test
    void everyPodRunsLockedDown() throws IOException {
        int pods = 0;
        for (JsonNode d : documents(BASE)) {
            String kind = d.path("kind").asText();
            JsonNode pod;
            if (List.of("Deployment", "StatefulSet", "Job").contains(kind)) {
                pod = d.at("/spec/template/spec");
            } else if (kind.equals("FlinkDeployment")) {
                pod = d.at("/spec/podTemplate/spec");
            } else {
                continue;
            }
            pods++;
            String name = kind + " " + d.at("/metadata/name").asText();
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText())
                    .as(name)
                    .isEqualTo("RuntimeDefault");
            for (JsonNode c : pod.path("containers")) {
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
                assertThat(sc.at("/capabilities/drop").toString()).as(name).contains("\"ALL\"");
                if (!kind.equals("FlinkDeployment")) {
                    // Flink's own pods get their memory limits from the operator's resource spec.
                    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
                    assertThat(c.at("/resources/limits/memory").asText()).as(name).isNotBlank();
                }
            }
        }
        assertThat(pods).isEqualTo(4);
    }

    @Test
    void theConsoleIsReachedFromOutsideOnlyOverTlsAndNeverItsMetrics() throws IOException {
        List<JsonNode> docs = documents(BASE);
        List<JsonNode> ingresses =
                docs.stream().filter(d -> d.path("kind").asText().equals("Ingress")).toList();
        assertThat(ingresses).hasSize(1);
        JsonNode ingress = ingresses.get(0);
        JsonNode notes = ingress.at("/metadata/annotations");
        assertThat(notes.path("nginx.ingress.kubernetes.io/ssl-redirect").asText())
                .isEqualTo("true");
        assertThat(notes.path("nginx.ingress.kubernetes.io/force-ssl-redirect").asText())
                .isEqualTo("true");
        String bodySize = notes.path("nginx.ingress.kubernetes.io/proxy-body-size").asText();
        assertThat(bodySize).matches("[0-9]+m");
        assertThat(Long.parseLong(bodySize.replace("m", "")) * 1024 * 1024)
                .as("the proxy lets an enrolment through")
                .isGreaterThanOrEqualTo(io.vigil.console.ConsoleServer.MAX_ENROLMENT_BODY);
        assertThat(notes.path("nginx.ingress.kubernetes.io/proxy-buffering").asText())
                .as("the live feed is streamed")
                .isEqualTo("off");

        Set<String> tlsHosts = new HashSet<>();
        for (JsonNode t : ingress.at("/spec/tls")) {
            assertThat(t.path("secretName").asText()).isNotBlank();
            t.path("hosts").forEach(h -> tlsHosts.add(h.asText()));
        }
        JsonNode service =
                docs.stream()
                        .filter(d -> d.path("kind").asText().equals("Service"))
                        .filter(d -> d.at("/metadata/name").asText().equals("vigil-console"))
                        .findFirst()
                        .orElseThrow();
        int servicePort = service.at("/spec/ports/0/port").asInt();
        int paths = 0;
        for (JsonNode rule : ingress.at("/spec/rules")) {
            assertThat(tlsHosts)
                    .as("a host served without TLS")
                    .contains(rule.path("host").asText());
            for (JsonNode path : rule.at("/http/paths")) {
                paths++;
                String p = path.path("path").asText();
                String type = path.path("pathType").asText();
                assertThat(type).isIn("Exact", "Prefix");
                boolean routesMetrics =
                        type.equals("Exact") ? p.equals("/metrics") : "/metrics".startsWith(p);
                assertThat(routesMetrics).as(p + " would route /metrics").isFalse();
                assertThat(path.at("/backend/service/name").asText()).isEqualTo("vigil-console");
                assertThat(path.at("/backend/service/port/number").asInt()).isEqualTo(servicePort);
            }
        }
        assertThat(paths).isPositive();
        assertThat(tlsHosts).isNotEmpty();
    }

    @Test
    void everyVigilPodIsDeniedByDefaultAndAllowedOnlyTheFlowsItNeeds() throws IOException {
        List<JsonNode> docs = documents(BASE);
        String partOf = "/app.kubernetes.io~1part-of";
        Map<String, JsonNode> podLabels = new HashMap<>();
        for (JsonNode d : docs) {
            switch (d.path("kind").asText()) {
                case "Deployment", "StatefulSet", "Job" ->
                        podLabels.put(
                                d.at("/metadata/name").asText(),
                                d.at("/spec/template/metadata/labels"));
                case "FlinkDeployment" -> {
                    JsonNode l = d.at("/spec/podTemplate/metadata/labels");
                    assertThat(l.at(partOf).asText()).isEqualTo("vigil");
                    // Flink's native Kubernetes mode labels its pods app=<deployment name>.
                    podLabels.put(
                            d.at("/metadata/name").asText(),
                            YAML.createObjectNode()
                                    .put("app", d.at("/metadata/name").asText())
                                    .put("app.kubernetes.io/part-of", "vigil"));
                }
                default -> {}
            }
        }
        assertThat(podLabels).hasSize(4);
        podLabels.forEach((n, l) -> assertThat(l.at(partOf).asText()).as(n).isEqualTo("vigil"));

        List<JsonNode> policies =
                docs.stream().filter(d -> d.path("kind").asText().equals("NetworkPolicy")).toList();
        assertThat(policies)
                .as("a default deny for every Vigil pod, in and out")
                .anyMatch(
                        d ->
                                d.at("/spec/podSelector/matchLabels" + partOf)
                                                .asText()
                                                .equals("vigil")
                                        && d.at("/spec/policyTypes").toString().contains("Ingress")
                                        && d.at("/spec/policyTypes").toString().contains("Egress")
                                        && d.at("/spec/ingress").isMissingNode()
                                        && d.at("/spec/egress").isMissingNode());

        JsonNode listener =
                docs.stream()
                        .filter(d -> d.path("kind").asText().equals("Kafka"))
                        .findFirst()
                        .orElseThrow()
                        .at("/spec/kafka/listeners/0");
        assertThat(listener.at("/networkPolicyPeers/0/podSelector/matchLabels" + partOf).asText())
                .as("only Vigil's pods reach Kafka")
                .isEqualTo("vigil");
        assertThat(policies)
                .as("every Vigil pod may reach the Kafka listener")
                .anyMatch(
                        d ->
                                d.at("/spec/podSelector/matchLabels" + partOf)
                                                .asText()
                                                .equals("vigil")
                                        && d.at("/spec/egress")
                                                .toString()
                                                .contains("\"strimzi.io/kind\":\"Kafka\"")
                                        && d.at("/spec/egress")
                                                .toString()
                                                .contains(
                                                        "\"port\":"
                                                                + listener.path("port").asInt()));

        // Which pods accept connections at all: the console (from the ingress controller and
        // Prometheus, on its own port) and the job's pods (each other, operator, Prometheus).
        Set<String> accepting = new HashSet<>();
        for (JsonNode d : policies) {
            if (d.at("/spec/ingress").size() > 0) {
                JsonNode sel = d.at("/spec/podSelector/matchLabels");
                podLabels.forEach(
                        (name, labels) -> {
                            boolean selected = sel.size() > 0;
                            for (var it = sel.fields(); it.hasNext(); ) {
                                var e = it.next();
                                selected &=
                                        e.getValue()
                                                .asText()
                                                .equals(labels.path(e.getKey()).asText());
                            }
                            if (selected) {
                                accepting.add(name);
                            }
                        });
            }
            if (d.at("/spec/podSelector/matchLabels/app").asText().equals("vigil-console")) {
                for (JsonNode rule : d.at("/spec/ingress")) {
                    for (JsonNode port : rule.path("ports")) {
                        assertThat(port.path("port").asInt()).isEqualTo(8480);
                    }
                }
            }
        }
        assertThat(accepting).containsExactlyInAnyOrder("vigil-console", "vigil-matching");
    }

    @Test
    void milvusIsReachedOnlyOverTlsAndNeverWithTheChartsDefaultKeys() throws IOException {
        JsonNode values = YAML.readTree(DEPLOY.resolve("milvus").resolve("values.yaml").toFile());
        assertThat(values.at("/minio/existingSecret").asText()).isNotBlank();
        assertThat(values.at("/minio/accessKey").isMissingNode()).isTrue();
        assertThat(values.at("/minio/secretKey").isMissingNode()).isTrue();
        JsonNode milvus = YAML.readTree(values.at("/extraConfigFiles/user.yaml").asText());
        assertThat(milvus.at("/common/security/tlsMode").asInt()).isPositive();
        assertThat(milvus.at("/common/security/authorizationEnabled").asBoolean()).isTrue();
        String serverPem = milvus.at("/tls/serverPemPath").asText();
        assertThat(values.at("/volumeMounts").toString())
                .contains("\"" + Path.of(serverPem).getParent() + "\"");

        Properties p = settings();
        Map<String, String> props = new HashMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        PipelineConfig config = PipelineConfig.of(props);
        assertThat(
                        config.watchlistSettings()
                                .milvusSettings(config.faceModels().embedder().embeddingDimension())
                                .uri())
                .startsWith("https://");
        String ca =
                config.watchlistSettings()
                        .milvusSettings(config.faceModels().embedder().embeddingDimension())
                        .trustedCertFile();
        assertThat(ca).isNotBlank();
        // The job and the console search and enrol: both mount the CA where the setting says.
        for (String f : List.of("flink-deployment.yaml", "console.yaml")) {
            assertThat(Files.readString(BASE.resolve(f)))
                    .as(f)
                    .contains("mountPath: " + Path.of(ca).getParent());
        }
    }

    @Test
    void imagesRunTheArtifactsTheBuildProduces() throws IOException {
        Path docker = DEPLOY.resolve("docker");
        String job = Files.readString(docker.resolve("job.Dockerfile"));
        String ingest = Files.readString(docker.resolve("ingest.Dockerfile"));
        String console = Files.readString(docker.resolve("console.Dockerfile"));
        String tools = Files.readString(docker.resolve("tools.Dockerfile"));
        JsonNode flink =
                documents(BASE).stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .findFirst()
                        .orElseThrow();
        String jarUri = flink.at("/spec/job/jarURI").asText();
        assertThat(jarUri).startsWith("local://");
        assertThat(job).contains(" " + jarUri.substring("local://".length()));
        assertThat(job).contains("FROM flink:2.2.1-java17");
        Path repo = DEPLOY.resolve("..");
        assertThat(repo.resolve(copied(job, "-job.jar"))).exists();
        assertThat(repo.resolve(copied(ingest, "-app.jar"))).exists();
        assertThat(repo.resolve(copied(console, "-app.jar"))).exists();
        assertThat(repo.resolve(copied(tools, "-app.jar"))).exists();
        assertThat(console).contains("\"serve\"");
        assertThat(flink.at("/spec/job/args/0").asText()).isEqualTo("/etc/vigil/vigil.properties");
    }

    /** The build artifact a Dockerfile COPYs, relative to the repository root. */
    private static String copied(String dockerfile, String suffix) {
        Matcher m = Pattern.compile("COPY (\\S+" + Pattern.quote(suffix) + ")").matcher(dockerfile);
        assertThat(m.find()).as("COPY of *%s", suffix).isTrue();
        return m.group(1);
    }

    private static String allText(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                b.append(Files.readString(f)).append('\n');
            }
        }
        return b.toString();
    }
}
