# syntax=docker/dockerfile:1
# krmkit as a container image for kpt and kustomize container functions.
#
#   docker build -t ghcr.io/krmkit/krmkit:0.1.0 .                                   # every function
#   docker build --build-arg FUNCTION=security-context -t ghcr.io/krmkit/security-context:0.1.0 .
#
# The function comes from the ResourceList's functionConfig (its kind, or `data.function` of
# a ConfigMap); FUNCTION only sets the default for a ConfigMap without one, or for no config.
# See docs/container.md.

# Both bases can be replaced (the tests build stand-ins, since no registry is reachable
# there). The build base needs node and npm; the runtime base must have node at
# /nodejs/bin/node, as gcr.io/distroless/nodejs* images do.
ARG BUILD_BASE=docker.io/library/node:20-bookworm-slim
ARG RUNTIME_BASE=gcr.io/distroless/nodejs20-debian12:nonroot

# ---- build: npm ci, then esbuild bundles the CLI into one file (npm run build) ----
FROM ${BUILD_BASE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/build.mjs scripts/launcher.cjs scripts/
COPY bench/fixtures/ bench/fixtures/
COPY krm/ krm/
COPY functions/ functions/
COPY cli/ cli/
RUN npm run build

# ---- runtime: node, the executable and its V8 code cache; nothing else ----
FROM ${RUNTIME_BASE}
# The function a ConfigMap functionConfig without `data.function` runs; empty: none.
ARG FUNCTION=""
ARG VERSION=0.1.0
ARG REVISION=""
ARG CREATED=""
ARG SOURCE=https://github.com/krmkit/krmkit
ARG RUNTIME_BASE
COPY --from=build /src/dist/krmkit.cjs /app/krmkit.cjs
# The runtime image's own Node writes the code cache (as root: /app is root's). The one the
# build stage made is left behind: it came from the build base's Node, which need not be the
# same build, and V8 rejects a cache from another build. The base has no shell, hence exec
# form and a Node script. This step sees FUNCTION, so layer caches keep per-function images
# apart (buildah 1.28 would otherwise reuse the ENV and LABEL layers below across values).
USER 0
RUN --mount=type=bind,from=build,source=/src/bench/fixtures,target=/warm/fixtures \
    --mount=type=bind,source=scripts/container/warm-code-cache.mjs,target=/warm/warm-code-cache.mjs \
    ["/nodejs/bin/node", "/warm/warm-code-cache.mjs", "/app/krmkit.cjs", "/warm/fixtures/all-functions.yaml", "/warm/fixtures/one-app.yaml"]
LABEL org.opencontainers.image.title="krmkit${FUNCTION:+ ${FUNCTION}}" \
      org.opencontainers.image.description="krmkit KRM function${FUNCTION:+ ${FUNCTION}}: composable, idempotent functions that harden Kubernetes workloads (kpt and kustomize container function)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.url="${SOURCE}" \
      org.opencontainers.image.documentation="${SOURCE}/blob/main/docs/container.md" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.base.name="${RUNTIME_BASE}" \
      dev.krmkit.function="${FUNCTION}"
ENV KRMKIT_FUNCTION=${FUNCTION} \
    NODE_ENV=production
# distroless' nonroot user; kpt and kustomize override it with `--user nobody`, which works
# too: the files are world-readable and nothing is written at run time.
USER 65532:65532
WORKDIR /app
ENTRYPOINT ["/nodejs/bin/node", "/app/krmkit.cjs"]
