import type { Metadata } from "next";
import { SearchPage } from "../../components/search/search-page";
import { requirePage } from "../../lib/auth/require-page";

// Reads the database on every request; nothing here may be prerendered at build time.
export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Events" };

export default async function EventsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("/events");
  return <SearchPage source="cloudtrail" searchParams={await searchParams} />;
}
