/**
 * The main navigation, in order. New reports add one line here. `report: true` items are reports:
 * moving between them keeps the time range, account and region of the URL. The layout shows only the
 * items the signed-in role may open (lib/auth/access-policy.ts PAGE_POLICY).
 */
export const NAV_ITEMS = [
  { href: "/overview", label: "Overview", report: true },
  { href: "/logins", label: "Logins", report: true },
  { href: "/iam", label: "IAM", report: true },
  { href: "/network", label: "Network", report: true },
  { href: "/s3", label: "S3", report: true },
  { href: "/alerts", label: "Alerts" },
  { href: "/events", label: "Events" },
  { href: "/flows", label: "Flows" },
  { href: "/rules", label: "Rules" },
  { href: "/channels", label: "Channels" },
  { href: "/ingest", label: "Ingest" },
  { href: "/health", label: "Health" },
  { href: "/admin/users", label: "Admin" },
] as const satisfies readonly { href: string; label: string; report?: boolean }[];
