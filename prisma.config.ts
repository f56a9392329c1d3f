import { defineConfig } from "prisma/config";

// DATABASE_URL is only needed by `prisma migrate deploy`; `trailwatch migrate`
// applies the same migration files without Prisma's schema engine.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/trailwatch" },
});
