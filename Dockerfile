# autolist on the current Node LTS. Build stage compiles the charter grammar and the TypeScript;
# the runtime stage holds production dependencies, the compiled code, the families and the demo data.
FROM node:26-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY grammar grammar
COPY src src
RUN npm run build

FROM node:26-slim
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
ENV AUTOLIST_HTTP_HOST=0.0.0.0 AUTOLIST_HTTP_PORT=8080 AUTOLIST_SMTP_HOST=0.0.0.0 AUTOLIST_SMTP_PORT=2525
EXPOSE 8080 2525
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["serve"]
