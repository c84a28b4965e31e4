# The ingest process image. Build context: the repository root, after `mvn -B package -DskipTests`.
#   docker build -f deploy/docker/ingest.Dockerfile -t vigil-ingest:0.1.0 .
FROM eclipse-temurin:17-jre
COPY ingest/target/vigil-ingest-0.1.0-SNAPSHOT-app.jar /opt/vigil/vigil-ingest.jar
USER 65532
ENTRYPOINT ["java", "-Xmx768m", "-Dlog4j2.level=INFO", "-jar", "/opt/vigil/vigil-ingest.jar"]
