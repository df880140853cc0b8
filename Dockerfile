# autolist on Node 24, the LTS it is tested on, pinned to one release so that a rebuild gets the
# same Node. Build stage: dependencies from the lockfile, the charter grammar and the TypeScript
# compiled. Runtime stage: production dependencies only, the compiled code, the families, the demo
# data and the explorer page, run as the image's unprivileged user `node`.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY grammar grammar
COPY src src
RUN npm run build

FROM node:24.21.0-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist dist
COPY families families
COPY demo demo
COPY explorer explorer
# What autolist writes: accepted mail without a relay (outbox), delivery records and bounces (state).
RUN mkdir -p outbox state && chown node:node outbox state
VOLUME ["/app/outbox", "/app/state"]
# Serving beyond the container's loopback needs AUTOLIST_HTTP_READ_TOKEN and AUTOLIST_HTTP_ADMIN_TOKEN (or their _FILE forms).
# The Postfix servers start only when their ports are set (README: 2526 socketmap, 2527 policy); they authenticate nobody.
ENV AUTOLIST_HTTP_HOST=0.0.0.0 AUTOLIST_HTTP_PORT=8080 AUTOLIST_SMTP_HOST=0.0.0.0 AUTOLIST_SMTP_PORT=2525 AUTOLIST_POSTFIX_HOST=0.0.0.0
# HTTP, SMTP, Postfix socketmap and policy.
EXPOSE 8080 2525 2526 2527
USER node
# The process answers on the HTTP front (the image has node, not curl); with --fronts and no http, disable it (--no-healthcheck).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.AUTOLIST_HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
