import type { Metadata } from "next";
import { chartPoints, PALETTE } from "../../components/charts/chart-points";
import { TimeSeriesChart } from "../../components/charts/time-series-chart";
import { CountLink } from "../../components/count-link";
import { EmptyState } from "../../components/empty-state";
import { EventTable } from "../../components/event-table";
import { GroupTable } from "../../components/group-table";
import { KpiTiles } from "../../components/kpi-tiles";
import { Panel } from "../../components/panel";
import { ReportHeader } from "../../components/report-header";
import { GRANT_CANDIDATES, iamAuditReport } from "../../lib/reports/iam-audit";
import { reportHref } from "../../lib/reports/report-filters";
import { presetLabel } from "../../lib/reports/time-range";
import { reportContext, type SearchParams } from "../report-context";
import { requirePage } from "../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "IAM audit" };

export default async function IamPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/iam");
  const ctx = await reportContext(searchParams);
  const report = await iamAuditReport(ctx.scope);
  const { kpis, kpiHrefs: h } = report;
  const label = presetLabel(ctx.filters.range.preset).toLowerCase();
  const nothing = kpis.changes + kpis.failedChanges + kpis.assumeRoleCalls + kpis.accessDenied === 0;

  return (
    <div className="space-y-6">
      <ReportHeader
        title="IAM audit"
        description="Identity and permission changes, new access keys, administrator grants, role assumption and refusals"
        basePath="/iam"
        {...ctx}
      />

      <KpiTiles
        tiles={[
          { label: "IAM changes", value: kpis.changes, href: h.changes, hint: "successful IAM writes", testId: "kpi-iam-changes" },
          { label: "Failed changes", value: kpis.failedChanges, href: h.failedChanges, hint: "IAM writes with an error", testId: "kpi-iam-failed" },
          { label: "Access keys created", value: kpis.accessKeysCreated, href: h.accessKeysCreated, hint: "CreateAccessKey", testId: "kpi-access-keys" },
          { label: "AdministratorAccess", value: kpis.adminPolicyAttached, href: h.adminPolicyAttached, hint: "managed policy attached", testId: "kpi-admin-attached" },
          { label: "Changed by", value: kpis.changers, href: h.changers, hint: "distinct principals", testId: "kpi-changers" },
          { label: "Role assumptions", value: kpis.assumeRoleCalls, href: h.assumeRoleCalls, hint: "AssumeRole, …WithWebIdentity, …WithSAML", testId: "kpi-assume-role" },
          { label: "Access denied", value: kpis.accessDenied, href: h.accessDenied, hint: "AccessDenied, UnauthorizedOperation", testId: "kpi-access-denied" },
          { label: "Full-access grants", value: report.fullAccessGrants.grants.length, href: null, hint: "AdministratorAccess or * on *", testId: "kpi-full-access" },
        ]}
      />

      {nothing ? (
        <EmptyState what="IAM activity" widerHref={ctx.filters.range.preset === "30d" ? undefined : reportHref("/iam", ctx.filters, { range: "30d" })} />
      ) : (
        <>
          <Panel title="Identity and permission changes over time" note={`per ${report.bucket}, UTC, successful`} testId="iam-changes-over-time">
            <div className="px-4 pt-3 pb-2">
              <TimeSeriesChart
                points={chartPoints(report.changesOverTime.points, report.changesOverTime.series.map((s) => s.key))}
                series={report.changesOverTime.series.map((s, i) => ({ key: s.key, label: s.label, color: s.key === "other" ? "var(--color-chart-muted)" : PALETTE[i % PALETTE.length]! }))}
                bucket={report.bucket}
                label={`Successful IAM changes per ${report.bucket} by kind, ${label}`}
              />
            </div>
          </Panel>

          <div className="grid gap-4">
            <Panel title="Who made them" testId="iam-changes-by-principal" empty={report.changesByPrincipal.length === 0 ? "No IAM changes." : undefined}>
              <GroupTable
                testId="iam-changers-table"
                rows={report.changesByPrincipal}
                columns={[
                  { kind: "key", key: "principal", header: "Principal", link: true, wide: true },
                  { kind: "measure", measure: "changes", header: "Changes", what: "successful IAM changes" },
                  { kind: "measure", measure: "failed", header: "Failed", what: "failed IAM changes" },
                  { kind: "measure", measure: "actions", header: "Calls", what: "changes (distinct calls counted)" },
                  { kind: "time", which: "last", header: "Last" },
                ]}
              />
            </Panel>
            <Panel title="Access keys created" note="by whom, for whom" testId="iam-access-keys" empty={report.accessKeysCreated.length === 0 ? "No access keys were created." : undefined}>
              <EventTable
                rows={report.accessKeysCreated.map((r) => ({ ...r, fields: { ...r.fields, target: r.target } }))}
                columns={[
                  { header: "For", field: "target" },
                  { header: "Key", field: "accessKeyId" },
                ]}
              />
            </Panel>
          </div>

          <Panel
            title="Full administrative access granted"
            note={report.fullAccessGrants.truncated ? `newest ${GRANT_CANDIDATES} policy changes examined` : "AdministratorAccess or Allow * on *"}
            testId="iam-full-access"
            empty={report.fullAccessGrants.grants.length === 0 ? "Nobody was granted AdministratorAccess or * on *." : undefined}
          >
            <EventTable
              rows={report.fullAccessGrants.grants.map((g) => ({ ...g, fields: { ...g.fields, target: g.target, reason: g.reason } }))}
              columns={[
                { header: "To", field: "target" },
                { header: "Why", field: "reason" },
              ]}
            />
          </Panel>

          <Panel
            title="Role assumption"
            note="role → session → source identity"
            description="Chained: the caller was itself a role session. Session calls: what sessions of that name did in this range."
            testId="iam-assume-role"
            empty={report.assumeRole.length === 0 ? "No roles were assumed." : undefined}
          >
            <GroupTable
              testId="iam-assume-role-table"
              rows={report.assumeRole}
              columns={[
                { kind: "key", key: "role", header: "Role", wide: true },
                { kind: "key", key: "session", header: "Session" },
                { kind: "key", key: "caller", header: "Assumed by", wide: true },
                { kind: "key", key: "sourceIdentity", header: "Source identity" },
                { kind: "custom", header: "", render: (r) => (r.chained ? <span className="rounded bg-amber-50 px-1.5 py-0.5 text-[11px] text-amber-800">chained</span> : null) },
                { kind: "measure", measure: "calls", header: "Assumed", what: "role assumptions" },
                { kind: "measure", measure: "failures", header: "Failed", what: "failed role assumptions" },
                {
                  kind: "custom",
                  header: "Session calls",
                  align: "right",
                  render: (r) => <CountLink value={r.sessionCalls.value} href={r.sessionCalls.href} what="calls made with the session" />,
                },
              ]}
            />
          </Panel>

          <Panel
            title="Access denied by principal"
            note="AccessDenied, UnauthorizedOperation — every service"
            testId="iam-access-denied"
            empty={report.accessDenied.length === 0 ? "No call was refused." : undefined}
          >
            <GroupTable
              testId="iam-access-denied-table"
              rows={report.accessDenied}
              columns={[
                { kind: "key", key: "principal", header: "Principal", link: true, wide: true },
                { kind: "measure", measure: "denied", header: "Refused", what: "refused calls" },
                { kind: "number", measure: "actions", header: "Actions" },
                { kind: "number", measure: "services", header: "Services" },
                { kind: "time", which: "first", header: "First" },
                { kind: "time", which: "last", header: "Last" },
              ]}
            />
          </Panel>
        </>
      )}
    </div>
  );
}
