# The matching job image for the Flink Kubernetes Operator. Build context: the repository root,
# after `VIGIL_ASSETS=.vigil-assets mvn -B package -DskipTests` (fetches every built-in model,
# converts the TensorFlow.js ones; each SHA-256 is checked at load).
#   docker build -f deploy/docker/job.Dockerfile -t vigil-job:0.1.0 .
FROM flink:2.2.1-java17
COPY processing/job/target/vigil-job-0.1.0-SNAPSHOT-job.jar /opt/flink/usrlib/vigil-job.jar
# Face detection, landmark and embedding models only; their manifests are in the job jar and each
# file's SHA-256 is checked again at load.
COPY .vigil-assets/models /opt/vigil/assets/models
# Flink's Prometheus reporter ships in opt/; reporters load as plugins.
RUN mkdir -p /opt/flink/plugins/metrics-prometheus \
 && cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/
