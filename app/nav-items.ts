/** The main navigation, in order. New reports add one line here. */
export const NAV_ITEMS = [
  { href: "/overview", label: "Overview" },
  { href: "/alerts", label: "Alerts" },
  { href: "/events", label: "Events" },
  { href: "/flows", label: "Flows" },
  { href: "/rules", label: "Rules" },
  { href: "/channels", label: "Channels" },
  { href: "/ingest", label: "Ingest" },
  { href: "/health", label: "Health" },
] as const satisfies readonly { href: string; label: string }[];
