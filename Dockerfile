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
USER node
ENTRYPOINT ["node", "dist/cli/main.js"]
CMD ["examples"]
