/** The main navigation, in order. New reports add one line here. */
export const NAV_ITEMS = [
  { href: "/overview", label: "Overview" },
  { href: "/alerts", label: "Alerts" },
  { href: "/rules", label: "Rules" }, { href: "/channels", label: "Channels" },
  { href: "/ingest", label: "Ingest" },
] as const satisfies readonly { href: string; label: string }[];
