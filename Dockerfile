# Tarn server image: built with the dev toolchain, run with production dependencies only.
#   docker build -t tarn .                           # HiGHS (built in)
#   docker build -t tarn --build-arg WITH_CBC=true . # adds the cbc command for TARN_SOLVER=cbc
# The current Node LTS, on which CI's smoke pass runs (.ci/run, NODE_LTS); package.json's engines
# (>=20.19) is the oldest that runs Tarn, not a recommendation: Node 20 is past its end of life.
ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
# argon2 is compiled from source against the image's own Node headers: its prebuilt
# binary crashes at load on some machines. The compiler stays in this stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    SCARF_ANALYTICS=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
COPY migrations ./migrations
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ARG WITH_CBC=false
RUN if [ "$WITH_CBC" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends coinor-cbc \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# As `npm start` runs the server: V8's young generation at 4 MB semi-spaces, and glibc's malloc
# with a fixed mmap threshold (README, "Memory on the embedded database").
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=4 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    TARN_DATA_DIR=/app/data
WORKDIR /app
# The code stays root's (read-only to the server); only the data folder is the node user's.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# SHOP Server's health check, GET / (the slim image has no curl). Set the port with
# TARN_PORT rather than --port, so that this check finds it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.TARN_PORT||8000)+'/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Flags: docker run tarn node dist/main.js -p 9000 -m 16
CMD ["node", "dist/main.js"]
