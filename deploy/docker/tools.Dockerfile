# The vigil command line (watchlist, cameras, audit, models) for Kubernetes Jobs such as the camera
# registry. Build context: the repository root, after `mvn -B package -DskipTests` (which also
# converts the TensorFlow.js models) with VIGIL_ASSETS=.vigil-assets; enrolment runs the models.
#   docker build -f deploy/docker/tools.Dockerfile -t vigil-tools:0.1.0 .
FROM eclipse-temurin:17-jre
COPY tools/target/vigil-tools-0.1.0-SNAPSHOT-app.jar /opt/vigil/vigil-tools.jar
COPY .vigil-assets/models /opt/vigil/assets/models
USER 65532
ENTRYPOINT ["java", "-Xmx1g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil", "-jar", "/opt/vigil/vigil-tools.jar"]
