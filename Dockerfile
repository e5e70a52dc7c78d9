# ACS Lifecycle Worker image: `docker build -t acs-lifecycle .` then `docker run acs-lifecycle` runs the
# production command (`run`); any other CLI command can be given instead, e.g. `... ledger history EXTERNAL_ID`.
# Configuration comes from environment variables named after the keys (ledger.url -> LEDGER_URL; see
# config/local.properties and infra/modules/worker-app.bicep); no secret is baked into the image.

# ---- build: Maven and a full JDK 17; tests run in CI (they need PostgreSQL), not here.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change reuses the cached layer.
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY config ./config
COPY src ./src
RUN mvn -B -q -DskipTests package

# ---- runtime: a JRE only, a non-root user, the one jar.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 worker \
    && useradd --system --uid 10001 --gid worker --home-dir /app --no-create-home worker \
    && mkdir -p /app/data && chown worker:worker /app/data
WORKDIR /app
COPY --from=build /src/target/acs-lifecycle.jar ./acs-lifecycle.jar
USER 10001:10001

# In a container the probes come from outside: listen on every interface. JSON lines for Log Analytics.
ENV HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    LOG_FORMAT=json
# /health/live, /health/ready, /metrics
EXPOSE 8080

# Exec form: java is PID 1 and gets SIGTERM itself, so the worker stops intake and drains in-flight
# messages (shutdown.deadline) before the platform kills it. The heap follows the container's memory limit.
# No HEALTHCHECK: Container Apps probes /health/live and /health/ready itself (infra/modules/worker-app.bicep),
# so the image need not carry an HTTP client just for that.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/acs-lifecycle.jar"]
CMD ["run"]
