# syntax=docker/dockerfile:1
# One image for the web server, the worker and the migration step; docker-compose.yml picks the
# process with `command`. Next's custom server cannot use `output: 'standalone'`, so the runtime
# stage carries node_modules and the built .next folder instead of a traced bundle.

FROM node:20-bookworm-slim AS base
WORKDIR /app
# Prisma reads the OpenSSL version to choose its schema engine build, and the slim image has none.
RUN apt-get update \
  && apt-get install --yes --no-install-recommends openssl ca-certificates \
  && rm -rf /var/lib/apt/lists/*
ENV NEXT_TELEMETRY_DISABLED=1 \
  CHECKPOINT_DISABLE=1 \
  PRISMA_HIDE_UPDATE_MESSAGE=1

FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci
# Fetch Prisma's schema engine now, as root and with the network at hand: `prisma migrate deploy`
# in the `migrate` service runs as `node`, which cannot write into node_modules.
RUN npx prisma version

FROM deps AS build
COPY . .
RUN npm run db:generate && npm run build
# Next serves public/ when it exists; creating it here lets the runtime stage copy it unconditionally.
RUN mkdir -p public

FROM base AS runtime
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
# Next writes its runtime cache under .next, so the process user owns it.
COPY --from=build --chown=node:node /app/.next ./.next
COPY --from=build /app/public ./public
COPY --from=build /app/dist ./dist
COPY --from=build /app/server ./server
COPY --from=build /app/app ./app
COPY --from=build /app/components ./components
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/scripts ./scripts
# tsconfig.json: tsx resolves the "@/*" import paths of the TypeScript entry points through it.
# next.config.*: the glob accepts .js, .mjs or .ts without failing the build over the extension.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json /app/prisma.config.ts /app/next.config.* ./
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "--max-old-space-size=256", "dist/web.mjs"]
