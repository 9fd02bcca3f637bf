# syntax=docker/dockerfile:1
# Teeka's one image. The command picks the role: api (default), worker, migrate or seed (deploy/docker-entrypoint.sh).
#   docker build -t teeka .        docker run teeka worker
# Debian slim rather than Alpine: the Temporal SDK's native core and @swc/core ship glibc builds.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# The npm the lockfile is made with: it runs only the install scripts package.json's "allowScripts" permits.
RUN npm install -g npm@11.19.1 --no-audit --no-fund
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY . .
# The dashboard is built with dev dependencies (vite, react), which are then dropped. tsx stays: it is how the
# processes run (`npm run api` = `tsx api/server.ts`), and the worker bundles its workflows at start with @swc/core.
RUN npm run build:dashboard && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
# Owned by root and read-only to the process: the app writes nothing to its own directory in production.
COPY --from=build /app /app
USER node
EXPOSE 3000 9464
# The API's liveness; the worker's compose service checks its metrics endpoint instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "deploy/healthcheck.mjs"]
ENTRYPOINT ["/bin/sh", "deploy/docker-entrypoint.sh"]
CMD ["api"]
