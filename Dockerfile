# One image recipe for the four services. Build the apps first (repo root): mvn -B -DskipTests package
# then, per service:  docker build --build-arg SERVICE=trainer-service --build-arg PORTS=8082 -t mixrule/trainer-service .
# (docker-compose.yml passes the same arguments). A GPU trainer or evaluator: build with mvn -Pcuda and
# --build-arg BASE=<an nvidia/cuda 12.4 runtime image with a Java 17 runtime> (docs/gpu.md).
ARG BASE=eclipse-temurin:17-jre
FROM ${BASE}
ARG SERVICE
ARG PORTS=8080
WORKDIR /app
COPY ${SERVICE}/target/quarkus-app/lib/ /app/lib/
COPY ${SERVICE}/target/quarkus-app/*.jar /app/
COPY ${SERVICE}/target/quarkus-app/app/ /app/app/
COPY ${SERVICE}/target/quarkus-app/quarkus/ /app/quarkus/
# OMP/oneDNN/DJL settings matter only to the trainer and evaluator, and are harmless elsewhere (docs/gpu.md)
ENV QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_GRPC_SERVER_HOST=0.0.0.0 \
    OMP_WAIT_POLICY=PASSIVE \
    ONEDNN_MAX_CPU_ISA=AVX2 \
    DJL_CACHE_DIR=/tmp/djl \
    JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75"
EXPOSE ${PORTS}
USER 1001
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
