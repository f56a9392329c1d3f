import type { Metadata } from "next";
import { chartPoints } from "../../components/charts/chart-points";
import { ShareChart } from "../../components/charts/share-chart";
import { TimeSeriesChart } from "../../components/charts/time-series-chart";
import { CountLink } from "../../components/count-link";
import { EmptyState } from "../../components/empty-state";
import { EventTable } from "../../components/event-table";
import { formatInteger } from "../../components/format";
import { GroupTable } from "../../components/group-table";
import { KpiTiles } from "../../components/kpi-tiles";
import { Panel, UtcTime } from "../../components/panel";
import { ReportHeader } from "../../components/report-header";
import { BURST_GAP_SECONDS, BURST_MINIMUM, loginAuditReport } from "../../lib/reports/login-audit";
import { FIRST_SEEN_LOOKBACK_DAYS } from "../../lib/reports/sign-in-sightings";
import { reportHref } from "../../lib/reports/report-filters";
import { presetLabel } from "../../lib/reports/time-range";
import { reportContext, type SearchParams } from "../report-context";
import { requirePage } from "../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Login audit" };

export default async function LoginsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePage("/logins");
  const ctx = await reportContext(searchParams);
  const report = await loginAuditReport(ctx.scope);
  const { kpis, kpiHrefs: h } = report;
  const label = presetLabel(ctx.filters.range.preset).toLowerCase();
  const nothing = kpis.consoleLogins + kpis.ssoAuthentications + kpis.federationTokens === 0;
  const burstNote = `${BURST_MINIMUM}+ failures, at most ${BURST_GAP_SECONDS / 60} min apart`;

  return (
    <div className="space-y-6">
      <ReportHeader
        title="Login audit"
        description="Console sign-ins, MFA, root, IAM Identity Center and federation; every number opens its sign-in events"
        basePath="/logins"
        {...ctx}
      />

      <KpiTiles
        tiles={[
          { label: "Console sign-ins", value: kpis.consoleLogins, href: h.consoleLogins, hint: "ConsoleLogin, all results", testId: "kpi-console-logins" },
          { label: "Failed", value: kpis.failures, href: h.failures, hint: "ConsoleLogin: Failure", testId: "kpi-failures" },
          { label: "Without MFA", value: kpis.withoutMfa, href: h.withoutMfa, hint: "IAM users and root, MFAUsed not Yes", testId: "kpi-without-mfa" },
          { label: "Root sign-ins", value: kpis.rootLogins, href: h.rootLogins, hint: "the account's root user", testId: "kpi-root-logins" },
          { label: "Successful", value: kpis.successes, href: h.successes, hint: "ConsoleLogin: Success", testId: "kpi-successes" },
          { label: "Federated", value: kpis.federatedLogins, href: h.federatedLogins, hint: "role sessions, federated users", testId: "kpi-federated" },
          { label: "Identity Center", value: kpis.ssoAuthentications, href: h.ssoAuthentications, hint: "UserAuthentication", testId: "kpi-sso" },
          { label: "Federation tokens", value: kpis.federationTokens, href: h.federationTokens, hint: "GetSigninToken, GetFederationToken", testId: "kpi-federation-tokens" },
        ]}
      />

      {nothing ? (
        <EmptyState what="sign-ins" widerHref={ctx.filters.range.preset === "30d" ? undefined : reportHref("/logins", ctx.filters, { range: "30d" })} />
      ) : (
        <>
          <Panel title="Console sign-ins over time" note={`per ${report.bucket}, UTC`} testId="logins-over-time">
            <div className="px-4 pt-3 pb-2">
              <TimeSeriesChart
                points={chartPoints(report.loginsOverTime, ["success", "failure"])}
                series={[
                  { key: "success", label: "Success", color: "var(--color-chart-good)" },
                  { key: "failure", label: "Failure", color: "var(--color-chart-bad)" },
                ]}
                bucket={report.bucket}
                label={`ConsoleLogin per ${report.bucket}, success and failure, ${label}`}
              />
            </div>
          </Panel>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="By user" note="account and user" testId="logins-by-user" empty={report.byUser.length === 0 ? "No console sign-ins." : undefined}>
              <GroupTable
                testId="logins-by-user-table"
                rows={report.byUser}
                columns={[
                  { kind: "key", key: "account", header: "Account" },
                  { kind: "key", key: "user", header: "User", link: true, wide: true },
                  { kind: "measure", measure: "logins", header: "Sign-ins" },
                  { kind: "measure", measure: "failures", header: "Failed" },
                  { kind: "measure", measure: "withMfa", header: "With MFA" },
                  { kind: "measure", measure: "sourceIps", header: "IPs", what: "sign-ins (IPs counted)" },
                  { kind: "time", which: "last", header: "Last" },
                ]}
              />
            </Panel>
            <Panel title="By source IP" testId="logins-by-ip" empty={report.bySourceIp.length === 0 ? "No console sign-ins." : undefined}>
              <GroupTable
                testId="logins-by-ip-table"
                rows={report.bySourceIp}
                columns={[
                  { kind: "key", key: "ip", header: "Source IP", link: true },
                  { kind: "measure", measure: "logins", header: "Sign-ins" },
                  { kind: "measure", measure: "successes", header: "Success" },
                  { kind: "measure", measure: "failures", header: "Failed" },
                  { kind: "measure", measure: "users", header: "Users", what: "sign-ins (users counted)" },
                  { kind: "time", which: "last", header: "Last" },
                ]}
              />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-3">
            <Panel title="MFA on sign-in" note="IAM users and root" testId="logins-mfa" description="Federated sign-ins always say MFAUsed: No; they are below, apart.">
              <ShareChart
                label="Successful IAM-user and root sign-ins with and without MFA"
                slices={[
                  { label: "With MFA", value: report.mfa.withMfa.value, href: report.mfa.withMfa.href, color: "var(--color-chart-good)" },
                  { label: "Without MFA", value: report.mfa.withoutMfa.value, href: report.mfa.withoutMfa.href, color: "var(--color-chart-bad)" },
                ]}
              />
              {report.mfa.withoutMfaByUser.length > 0 ? (
                <GroupTable
                  testId="logins-without-mfa"
                  rows={report.mfa.withoutMfaByUser}
                  columns={[
                    { kind: "key", key: "account", header: "Account" },
                    { kind: "key", key: "user", header: "Without MFA", link: true },
                    { kind: "measure", measure: "logins", header: "Sign-ins" },
                  ]}
                />
              ) : null}
            </Panel>
            <Panel
              title="Root sign-ins"
              note={formatInteger(report.rootLogins.length)}
              testId="logins-root"
              className="xl:col-span-2"
              empty={report.rootLogins.length === 0 ? "The root user did not sign in." : undefined}
            >
              <EventTable
                rows={report.rootLogins}
                columns={[
                  { header: "Sign-in", field: "result" },
                  { header: "MFA used", field: "mfaUsed" },
                ]}
              />
            </Panel>
          </div>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel title="Failure bursts per user" note={burstNote} testId="bursts-by-user" empty={report.failureBurstsByUser.length === 0 ? "No bursts of failed sign-ins." : undefined}>
              <GroupTable
                testId="bursts-by-user-table"
                rows={report.failureBurstsByUser}
                columns={[
                  { kind: "key", key: "account", header: "Account" },
                  { kind: "key", key: "user", header: "User", wide: true },
                  { kind: "custom", header: "Failures", align: "right", render: (b) => <CountLink value={b.count} href={b.href} what="failed sign-ins in the burst" testId="burst-failures" /> },
                  { kind: "custom", header: "IPs", align: "right", render: (b) => formatInteger(b.distinct.sourceIps ?? 0) },
                  { kind: "time", which: "first", header: "From" },
                  { kind: "time", which: "last", header: "To" },
                ]}
              />
            </Panel>
            <Panel title="Failure bursts per source IP" note={burstNote} testId="bursts-by-ip" empty={report.failureBurstsByIp.length === 0 ? "No bursts of failed sign-ins." : undefined}>
              <GroupTable
                testId="bursts-by-ip-table"
                rows={report.failureBurstsByIp}
                columns={[
                  { kind: "key", key: "ip", header: "Source IP" },
                  { kind: "custom", header: "Failures", align: "right", render: (b) => <CountLink value={b.count} href={b.href} what="failed sign-ins in the burst" /> },
                  { kind: "custom", header: "Users", align: "right", render: (b) => formatInteger(b.distinct.users ?? 0) },
                  { kind: "time", which: "first", header: "From" },
                  { kind: "time", which: "last", header: "To" },
                ]}
              />
            </Panel>
          </div>

          <Panel
            title="First-seen source IPs"
            note={`no successful sign-in from the address in the ${FIRST_SEEN_LOOKBACK_DAYS} days before`}
            testId="first-seen-ips"
            empty={report.firstSeenIps.length === 0 ? "Every sign-in came from an address its user had used before." : undefined}
          >
            <GroupTable
              testId="first-seen-ips-table"
              rows={report.firstSeenIps}
              columns={[
                { kind: "key", key: "account", header: "Account" },
                { kind: "key", key: "user", header: "User", wide: true },
                { kind: "key", key: "ip", header: "New source IP" },
                { kind: "custom", header: "First seen", render: (r) => <UtcTime value={r.firstSeen} /> },
                { kind: "custom", header: "Sign-ins", align: "right", render: (r) => <CountLink value={r.count} href={r.href} what="sign-ins from the address" /> },
              ]}
            />
          </Panel>

          <div className="grid gap-4 xl:grid-cols-2">
            <Panel
              title="IAM Identity Center sign-ins"
              note="UserAuthentication"
              testId="sso-identity-center"
              empty={report.sso.identityCenter.length === 0 ? "No IAM Identity Center sign-ins." : undefined}
            >
              <GroupTable
                rows={report.sso.identityCenter}
                columns={[
                  { kind: "key", key: "user", header: "User", link: true, wide: true },
                  { kind: "measure", measure: "attempts", header: "Sign-ins" },
                  { kind: "measure", measure: "failures", header: "Failed" },
                  { kind: "measure", measure: "sourceIps", header: "IPs" },
                  { kind: "time", which: "last", header: "Last" },
                ]}
              />
            </Panel>
            <Panel
              title="Federated console sign-ins"
              note="SAML, Identity Center, brokers — MFA is the identity provider's"
              testId="sso-federated"
              empty={report.sso.federated.length === 0 ? "No federated console sign-ins." : undefined}
            >
              <GroupTable
                rows={report.sso.federated}
                columns={[
                  { kind: "key", key: "role", header: "Role" },
                  { kind: "key", key: "principal", header: "Session", link: true, wide: true },
                  { kind: "measure", measure: "logins", header: "Sign-ins" },
                  { kind: "measure", measure: "failures", header: "Failed" },
                ]}
              />
            </Panel>
          </div>

          <Panel
            title="Federation sign-in tokens"
            note="GetSigninToken, GetFederationToken"
            testId="federation-tokens"
            empty={report.federationTokens.length === 0 ? "No federation tokens were requested." : undefined}
          >
            <GroupTable
              rows={report.federationTokens}
              columns={[
                { kind: "key", key: "name", header: "Call" },
                { kind: "key", key: "principal", header: "Caller", link: true, wide: true },
                { kind: "key", key: "ip", header: "Source IP" },
                { kind: "measure", measure: "calls", header: "Calls" },
                { kind: "time", which: "last", header: "Last" },
              ]}
            />
          </Panel>
        </>
      )}
    </div>
  );
}
