# The analyst console image. Build context: the repository root, after
# `VIGIL_ASSETS=.vigil-assets mvn -B package -DskipTests` (enrolment runs the face models).
#   docker build -f deploy/docker/console.Dockerfile -t vigil-console:0.1.0 .
FROM eclipse-temurin:17-jre
COPY console/target/vigil-console-0.1.0-SNAPSHOT-app.jar /opt/vigil/vigil-console.jar
COPY .vigil-assets/models /opt/vigil/assets/models
USER 65532
EXPOSE 8480
ENTRYPOINT ["java", "-Xmx1g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.vigil", "-jar", "/opt/vigil/vigil-console.jar", "serve", "/etc/vigil/vigil.properties"]
