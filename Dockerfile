# One image for every Telenexus process; the command picks which:
#   migrate | run ingress | run dispatcher | run sandbox
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
# Install scripts stay off (none of our dependencies needs one); `prepare` would build too early.
RUN npm ci --ignore-scripts \
 && npm run build \
 && npm prune --omit=dev --ignore-scripts \
 && find packages services -mindepth 2 -maxdepth 2 \( -name src -o -name test -o -name tsconfig.json \) -exec rm -rf {} + \
 && find packages services -name '*.tsbuildinfo' -delete

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The node user (uid 1000) owns nothing it could rewrite; the root filesystem can be read-only.
USER node
EXPOSE 8080 8090 8081
ENTRYPOINT ["node", "packages/cli/bin/telenexus.js"]
CMD ["run", "ingress"]
