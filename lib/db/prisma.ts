import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";
import { getPool } from "./pool";

let client: PrismaClient | undefined;

/**
 * The Prisma client for Trailwatch's own entities (ledger views, and later users,
 * rules, alerts), sharing the process's pg pool. Event tables are written with
 * COPY (lib/ingest/load-rows.ts) and read with SQL (lib/reports), not through Prisma.
 */
export function prisma(): PrismaClient {
  client ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return client;
}
