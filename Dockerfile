# One image for every Telenexus process; the command picks which:
#   migrate | run ingress | run dispatcher | run sandbox
# Build: docker build -t telenexus:local .   (test/deploy/dockerfile.test.ts checks this file statically)
# A release adds what the image's labels say about it:
#   --build-arg REVISION=$(git rev-parse HEAD) --build-arg CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# Node.js 24, the current LTS, in every stage; package.json's engines still allow 20.19+ elsewhere.
ARG NODE_IMAGE=node:24-bookworm-slim

# --- manifests: what `npm ci` reads, and nothing else, so the dependency layers below stay cached
# until a package.json or the lockfile changes. One line per workspace of the root package.json.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/api-contract/package.json packages/api-contract/
COPY packages/config/package.json packages/config/
COPY packages/logger/package.json packages/logger/
COPY packages/runtime/package.json packages/runtime/
COPY packages/db/package.json packages/db/
COPY packages/queue/package.json packages/queue/
COPY packages/observability/package.json packages/observability/
COPY packages/evolution/package.json packages/evolution/
COPY packages/evolution-sandbox/package.json packages/evolution-sandbox/
COPY packages/provisioning/package.json packages/provisioning/
COPY packages/console/package.json packages/console/
COPY services/ingress/package.json services/ingress/
COPY services/dispatcher/package.json services/dispatcher/
COPY packages/cli/package.json packages/cli/

# --- deps: production dependencies only (no Jest, ESLint, Vite…). Install scripts stay off:
# no runtime dependency needs one (msgpackr's native extract is optional and ships prebuilt), and the
# root `prepare` script would try to build.
FROM manifests AS deps
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# --- build: every dependency, then `npm run build` (tsc -b, and Vite for the web console); /out
# gathers what runs: each workspace's package.json (read at run time for the version label, and to
# find the console), its dist/ (compiled code, the console's static files) and the CLI launcher.
FROM manifests AS build
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
RUN npm run build \
 && for workspace in $(node -p "require('./package.json').workspaces.join(' ')"); do \
      mkdir -p "/out/$workspace" \
      && cp "$workspace/package.json" "/out/$workspace/" \
      && cp -R "$workspace/dist" "/out/$workspace/" \
      && if [ -d "$workspace/bin" ]; then cp -R "$workspace/bin" "/out/$workspace/"; fi; \
    done \
 && find /out \( -name '*.d.ts' -o -name '*.d.ts.map' -o -name '*.tsbuildinfo' \) -delete

# --- runtime: production node_modules (with the workspace links) + compiled code; no sources, no
# tests, no compiler, no package manager. Files belong to root and are read-only for the process, so
# the container runs with a read-only root filesystem (nothing writes to disk; logs go to stdout).
FROM ${NODE_IMAGE} AS runtime
# The base image's npm, npx, corepack and yarn: nothing here installs anything at run time, and each
# is code an image scanner would report. Removed while still root, at build time.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /opt/yarn-v* \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /out ./
# 1000:1000 is the `node` user of the official image; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
# ingress, sandbox, dispatcher ops (/healthz, /readyz, /metrics, /backlog)
EXPOSE 8080 8081 8090
# Node runs as PID 1 and handles SIGTERM itself (graceful shutdown bounded by SHUTDOWN_TIMEOUT_MS).
# Its flags bound the V8 heap: SERVICE_NODE_FLAGS of packages/runtime, which every other way of
# starting a service uses too (test/deploy/dockerfile.test.ts keeps them equal).
ENTRYPOINT ["node", "--max-semi-space-size=8", "--heap-growing-percent=30", "packages/cli/bin/telenexus.js"]
CMD ["run", "ingress"]

# OCI labels (https://github.com/opencontainers/image-spec/blob/main/annotations.md). VERSION is
# package.json's (the tests keep them equal); REVISION and CREATED come from the build, and SOURCE
# (the repository's URL) too until it is filled in here. Last, so a new revision reuses every layer.
ARG VERSION=0.1.0
ARG REVISION=
ARG CREATED=
ARG SOURCE=
LABEL org.opencontainers.image.title="telenexus" \
      org.opencontainers.image.description="WhatsApp billing-notification gateway: billing systems call one HTTP API, customers get WhatsApp messages through Evolution API." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.licenses="LicenseRef-Proprietary"
