# One image recipe for the four services (docs/deploy.md). Build the apps first (repo root): mvn -B -DskipTests package
# then, per service (the tag is the project's version, the one k8s/kustomization.yaml deploys):
#   docker build --build-arg SERVICE=trainer-service --build-arg HTTP_PORT=8082 -t mixrule/trainer-service:0.1.0 .
# (docker-compose.yml passes the same arguments and tags). A GPU trainer or evaluator: build the apps with mvn -Pcuda, then
#   docker build --build-arg SERVICE=trainer-service --build-arg HTTP_PORT=8082 \
#     --build-arg BASE=nvidia/cuda:12.4.1-runtime-ubuntu22.04 -t mixrule/trainer-service:0.1.0-cuda .
# (docker-compose.gpu.yml does both; docs/gpu.md). The Java runtime is Temurin's whatever BASE is, so the CPU and the
# CUDA image differ only in their base; both bases are Ubuntu: /bin/sh is dash, bash is there for the healthcheck.
ARG JRE=eclipse-temurin:17-jre
ARG BASE=ubuntu:24.04
FROM ${JRE} AS jre

FROM ${BASE}
ARG SERVICE
# the service's quarkus.http.port: the healthcheck asks it; PORTS adds the gRPC port where there is one
ARG HTTP_PORT=8080
ARG PORTS=${HTTP_PORT}
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# Runs as uid 1001 (group 0): the checkpoint directory belongs to it, so a fresh named volume mounted there takes that
# ownership; compose's volumes-init and k8s's fsGroup prepare volumes that already exist (docs/deploy.md, "Users")
RUN mkdir -p /var/lib/mixrule/checkpoints /data \
    && chown 1001:0 /var/lib/mixrule/checkpoints && chmod 775 /var/lib/mixrule/checkpoints
WORKDIR /app
COPY ${SERVICE}/target/quarkus-app/lib/ /app/lib/
COPY ${SERVICE}/target/quarkus-app/*.jar /app/
COPY ${SERVICE}/target/quarkus-app/app/ /app/app/
COPY ${SERVICE}/target/quarkus-app/quarkus/ /app/quarkus/
# OMP/oneDNN/DJL settings matter only to the trainer and evaluator, and are harmless elsewhere (docs/gpu.md)
ENV JAVA_HOME=/opt/java/openjdk \
    PATH=/opt/java/openjdk/bin:$PATH \
    LANG=C.UTF-8 \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    QUARKUS_HTTP_PORT=${HTTP_PORT} \
    QUARKUS_GRPC_SERVER_HOST=0.0.0.0 \
    OMP_WAIT_POLICY=PASSIVE \
    ONEDNN_MAX_CPU_ISA=AVX2 \
    DJL_CACHE_DIR=/tmp/djl \
    JAVA_OPTS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75"
EXPOSE ${PORTS}
# Ready when /q/health/ready answers 200, asked in bash (its /dev/tcp; the image has no curl, and dash has no /dev/tcp).
# DeploymentRuntimeTest runs this very command against a server that answers 200, then 503.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/$QUARKUS_HTTP_PORT && printf 'GET /q/health/ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]
USER 1001
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/quarkus-run.jar"]
