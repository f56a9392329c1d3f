import type { ReactNode } from "react";
import { requirePage } from "../../lib/auth/require-page";

/** Checks access before the segment's loading.tsx streams, so a refusal gets its HTTP status (the page checks again). */
export default async function Layout({ children }: { children: ReactNode }) {
  await requirePage("/events");
  return children;
}
