# One image for the migrate, worker and web services.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm install --include=dev --no-audit --no-fund
COPY . .
RUN npx next build
USER node
EXPOSE 3000
ENTRYPOINT ["node", "bin/trailwatch.mjs"]
CMD ["web"]
