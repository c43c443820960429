# The gateway image: one image for the gateway, the CLI (`mra`) and the partner simulator.
# Build:  docker build -t mra-gateway .
# Run:    see docker-compose.yml and docs/production.md.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds a native addon when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY scripts/copy-build-assets.mjs scripts/
RUN npm run -s build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    MRA_HOME=/app \
    MRA_KEYS_DIR=/var/lib/mra/keys
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json ./
COPY config config
COPY schemas schemas
COPY tools tools
# Keys and the embedded database live on a volume, owned by the unprivileged node user.
RUN mkdir -p /var/lib/mra/keys /var/lib/mra/data && chown -R node:node /var/lib/mra && chmod 700 /var/lib/mra/keys
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/apps/gateway/src/main.js"]
