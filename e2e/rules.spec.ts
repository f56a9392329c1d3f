import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { expect, test } from "@playwright/test";
import { s3ObjectCreatedNotification } from "../lib/aws/s3-notification";
import { webhookSignature } from "../lib/notify/send-webhook";
import { LOCAL_CREDENTIALS } from "../test/support/local-aws";
import { decodeMail, startHttpReceiver, startSmtpReceiver } from "../test/support/receivers";
import { E2E_USERS } from "./e2e-users";
import { STATE_FILE } from "./global-setup";

interface StackState {
  hostilePrincipalArn: string;
  aws: { endpoint: string; bucket: string; queueUrl: string };
}
const state = () => JSON.parse(readFileSync(STATE_FILE, "utf8")) as StackState;

const RULE_ID = "e2e-iam-call-burst";
const SECRET = "e2e-signing-secret-0123456789";

/** Delivers CloudTrail records the way AWS does: an object in the bucket and its S3 event notification on the queue. */
async function deliver(records: Record<string, unknown>[]): Promise<void> {
  const { aws } = state();
  const s3 = new S3Client({ region: "us-east-1", endpoint: aws.endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS });
  const sqs = new SQSClient({ region: "us-east-1", endpoint: aws.endpoint, credentials: LOCAL_CREDENTIALS });
  const key = `AWSLogs/111122223333/CloudTrail/us-east-1/e2e-burst-${Date.now()}.json.gz`;
  const body = gzipSync(JSON.stringify({ Records: records }));
  const put = await s3.send(new PutObjectCommand({ Bucket: aws.bucket, Key: key, Body: body }));
  await sqs.send(new SendMessageCommand({ QueueUrl: aws.queueUrl, MessageBody: s3ObjectCreatedNotification({ bucket: aws.bucket, key, size: body.length, etag: (put.ETag ?? "").replace(/"/g, "") }) }));
  s3.destroy();
  sqs.destroy();
}

test("create a threshold rule in the UI, preview it, enable it, route it; its alert reaches webhook, Slack and email", async ({ page, request }) => {
  test.setTimeout(120_000);
  const http = await startHttpReceiver();
  const smtp = await startSmtpReceiver();
  try {
    // Channels, in the UI: a signed webhook, a Slack-format endpoint, an email inbox.
    await page.goto("/channels");
    const addChannel = async (name: string, kind: string, fill: () => Promise<void>) => {
      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByLabel(/^Type/).selectOption(kind);
      await fill();
      // No rule yet: the rule is routed to these channels from its editor.
      await page.getByLabel("Only these rules", { exact: true }).check();
      await page.getByRole("button", { name: "Add channel" }).click();
      await expect(page.locator(`tr[data-channel="${name}"]`)).toBeVisible();
    };
    await addChannel("SOC webhook", "webhook", async () => {
      await page.getByLabel("URL", { exact: true }).fill(`${http.url}/hook-before-edit`);
      await page.getByLabel(/Signing secret/).fill(SECRET);
    });
    await addChannel("Slack #security", "slack", async () => {
      await page.getByLabel(/Incoming-webhook URL/).fill(`${http.url}/slack/T0/B0/x`);
    });
    await addChannel("On-call email", "email", async () => {
      await page.getByLabel("SMTP host", { exact: true }).fill("127.0.0.1");
      await page.getByLabel("Port", { exact: true }).fill(String(smtp.port));
      await page.getByLabel("From", { exact: true }).fill("trailwatch@example.com");
      await page.getByLabel(/^To/).fill("oncall@example.com");
    });
    await expect(page.getByTestId("channels-table")).not.toContainText(SECRET);
    await expect(page.locator('tr[data-channel="SOC webhook"]')).toContainText("no rule yet");

    // Edit a channel: its URL changes, the signing secret (shown only as set) is kept when left blank.
    await page.locator('tr[data-channel="SOC webhook"]').getByRole("link", { name: "Edit" }).click();
    await expect(page.getByLabel(/Signing secret/)).toHaveValue("");
    await expect(page.getByText(/Signing secret.*set; leave blank to keep/)).toBeVisible();
    expect(await page.content()).not.toContain(SECRET);
    await page.getByLabel("URL", { exact: true }).fill(`${http.url}/hook`);
    await page.getByRole("button", { name: "Save channel" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("URL", { exact: true })).toHaveValue(`${http.url}/hook`);
    await expect(page.getByTestId("channel-history")).toContainText(`updated by ${E2E_USERS.admin.email}`);
    await expect(page.getByTestId("channel-history")).toContainText(`created by ${E2E_USERS.admin.email}`);
    await page.goto("/channels");
    await page.locator('tr[data-channel="SOC webhook"]').getByRole("button", { name: "Send test" }).click();
    await expect(page.locator('tr[data-channel="SOC webhook"]').getByRole("status")).toHaveText("Test sent");
    expect(JSON.parse((await http.waitFor("/hook"))[0]!.body).event).toBe("test");

    // The rule, in the editor: IAM calls per principal, at least 50 in a 5-minute period.
    await page.goto("/rules/new");
    await page.getByLabel("Id (kebab-case)", { exact: true }).fill(RULE_ID);
    await page.getByLabel("Title", { exact: true }).fill("IA");
    await page.getByLabel("Why it matters", { exact: true }).fill("A burst of IAM calls by one principal is enumeration or mass change.");
    await page.getByLabel("Response", { exact: true }).fill("Ask the principal's owner what ran; check the calls in the alert.");
    await page.getByLabel(/^Severity/).selectOption("high");
    await page.getByLabel("Condition 1 field", { exact: true }).fill("eventSource");
    await page.getByLabel("Condition 1 value", { exact: true }).fill("iam.amazonaws.com");
    await page.getByRole("checkbox", { name: /Threshold \(CloudWatch alarm per group\)/ }).check();
    await page.getByLabel("Threshold", { exact: true }).fill("50");
    await page.getByLabel(/^Missing data/).selectOption("notBreaching");
    // Routing, in the editor: the three channels take this rule; each says whether it would send it.
    const routing = page.getByTestId("rule-channels");
    for (const name of ["SOC webhook", "Slack #security", "On-call email"]) {
      await expect(routing.locator(`li[data-channel="${name}"]`)).toContainText("not notified");
      await routing.getByRole("checkbox", { name }).check();
      await expect(routing.locator(`li[data-channel="${name}"]`)).toContainText("notified on opened, reopened");
    }
    // Invalid (title too short): refused, and the message sits at the field.
    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page.getByTestId("rule-errors")).toContainText("title");
    await expect(page.locator('[data-error-for="title"]')).toBeVisible();
    await page.getByLabel(/^Title/).fill("Burst of IAM calls by one principal");

    // Preview on stored history: the attacker's 1000 IAM calls would have raised an alert.
    await page.getByLabel("Preview range", { exact: true }).selectOption("24h");
    await page.getByRole("button", { name: "Run preview" }).click();
    const summary = page.getByTestId("preview-summary");
    await expect(summary).toBeVisible({ timeout: 30_000 });
    expect(Number(await summary.getAttribute("data-alerts"))).toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId("preview-principals")).toContainText(state().hostilePrincipalArn);

    await page.getByRole("button", { name: "Create rule" }).click();
    await expect(page).toHaveURL(new RegExp(`/rules/${RULE_ID}$`));
    await expect(page.getByTestId("rule-state")).toContainText("Disabled");
    await page.getByRole("button", { name: "Enable" }).click();
    await expect(page.getByTestId("rule-state")).toContainText("Enabled");
    await expect(page.getByTestId("rule-history")).toContainText(`enabled by ${E2E_USERS.admin.email}`);
    await expect(page.getByTestId("rule-history")).toContainText(`created by ${E2E_USERS.admin.email}`);
    await expect(page.getByTestId("rule-routing")).toContainText("SOC webhook (on opened, reopened)");

    // Matching events arrive through SQS; the worker stores them and the rule fires.
    const now = new Date();
    const burst = Array.from({ length: 60 }, (_, i) => ({
      eventVersion: "1.08", eventID: `e2e-burst-${now.getTime()}-${i}`, eventTime: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "iam.amazonaws.com", eventName: "ListUsers", awsRegion: "us-east-1", sourceIPAddress: "198.51.100.23", userAgent: "aws-cli/2.15.0",
      recipientAccountId: "111122223333", readOnly: true, eventType: "AwsApiCall",
      userIdentity: { type: "IAMUser", principalId: "AIDAE2EBURST", arn: "arn:aws:iam::111122223333:user/enumerator", accountId: "111122223333", userName: "enumerator" },
    }));
    await deliver(burst);
    let alertId = 0;
    await expect.poll(async () => {
      const body = (await (await request.get(`/api/alerts?rule=${RULE_ID}`)).json()) as { alerts: { id: number }[] };
      alertId = body.alerts[0]?.id ?? 0;
      return body.alerts.length;
    }, { timeout: 30_000 }).toBe(1);

    await page.goto("/alerts");
    await page.locator(`tr[data-rule-id="${RULE_ID}"]`).getByRole("link").click();
    await expect(page.getByTestId("threshold-reason")).toContainText("at least 50");
    await page.getByRole("button", { name: "Acknowledge" }).click();
    await expect(page.getByText("State: acknowledged")).toBeVisible();

    // The notification of the opened alert reached every channel.
    const hooks = await http.waitFor("/hook", 2, 30_000);
    const opened = hooks.find((h) => JSON.parse(h.body).event === "opened")!;
    expect(hooks.map((h) => JSON.parse(h.body).event)).toEqual(["test", "opened"]);
    const message = JSON.parse(opened.body);
    expect(message.alert).toMatchObject({ id: alertId, ruleId: RULE_ID, severity: "high", groupKey: "111122223333 · arn:aws:iam::111122223333:user/enumerator", matchCount: 60 });
    expect(message.url).toMatch(new RegExp(`/alerts/${alertId}$`));
    const ts = String(opened.headers["x-trailwatch-timestamp"]);
    expect(opened.headers["x-trailwatch-signature"]).toBe(`sha256=${webhookSignature(SECRET, ts, opened.body)}`);
    const slack = JSON.parse((await http.waitFor("/slack/T0/B0/x", 1, 30_000))[0]!.body);
    expect(slack.text).toContain("[HIGH] New alert: Burst of IAM calls by one principal");
    expect(JSON.stringify(slack.blocks)).toContain(`/alerts/${alertId}`);
    const mail = decodeMail((await smtp.waitFor(1, 30_000))[0]!.raw);
    expect(mail.subject).toContain("Burst of IAM calls by one principal");
    expect(mail.text).toContain(`/alerts/${alertId}`);

    await page.goto("/channels");
    await expect(page.getByTestId("deliveries-table").locator('tr[data-status="sent"]')).toHaveCount(3);
    // The editor's routing is stored on the channels: the channel page shows the rule in its list.
    await expect(page.locator('tr[data-channel="Slack #security"]')).toContainText(`rules ${RULE_ID}`);
    await page.goto(`/alerts/${alertId}`);
    for (const channel of ["SOC webhook (webhook)", "Slack #security (slack)", "On-call email (email)"]) {
      await expect(page.getByTestId("alert-deliveries")).toContainText(`opened → ${channel}: sent`);
    }
  } finally {
    await http.stop();
    await smtp.stop();
  }
});

test("the rules list filters by search and shows built-in and custom rules together", async ({ page }) => {
  await page.goto("/rules?q=cloudtrail-logging-stopped");
  await expect(page.getByTestId("rules-table").locator("tbody tr")).toHaveCount(1);
  await page.goto("/rules?origin=custom");
  await expect(page.locator(`tr[data-rule-id="${RULE_ID}"]`)).toBeVisible();
  await page.goto("/rules?q=no-such-rule-anywhere");
  await expect(page.getByTestId("rules-empty")).toBeVisible();
});

test("the condition builder edits all / any / not to any depth and a correlation; errors point at the nested input", async ({ page }) => {
  const id = "e2e-nested-builder";
  await page.goto("/rules/new");
  await page.getByLabel("Id (kebab-case)", { exact: true }).fill(id);
  await page.getByLabel("Title", { exact: true }).fill("IAM change, not by Terraform, after a console sign-in");
  await page.getByLabel("Why it matters", { exact: true }).fill("A hand-made IAM change soon after a console sign-in is worth a look.");
  await page.getByLabel("Response", { exact: true }).fill("Ask the user what they changed and why; revert what they cannot explain.");
  await page.getByLabel("Condition 1 field", { exact: true }).fill("eventSource");
  await page.getByLabel("Condition 1 value", { exact: true }).fill("iam.amazonaws.com");
  // A nested any-group holding a negated test on a field that does not exist.
  await page.getByRole("button", { name: "Add group" }).click();
  await page.getByLabel("Condition 2 field", { exact: true }).fill("noSuchField");
  await page.getByLabel("Condition 2 value", { exact: true }).fill("terraform");
  await page.getByRole("button", { name: "Negate condition 2" }).click();
  await expect(page.getByTestId("condition-not")).toHaveCount(1);
  // The correlation, in structured form.
  await page.getByRole("checkbox", { name: /Only after an earlier record/ }).check();
  await page.getByLabel("Within (seconds before)", { exact: true }).fill("1800");
  await page.getByLabel("What the earlier record was", { exact: true }).fill("a console sign-in by the same principal");
  await page.getByLabel("Earlier condition 1 field", { exact: true }).fill("eventName");
  await page.getByLabel("Earlier condition 1 value", { exact: true }).fill("ConsoleLogin");
  await page.getByRole("button", { name: "Add join" }).click();
  await page.getByLabel("Join 1 field", { exact: true }).fill("userIdentity.arn");
  await page.getByLabel("Join 1 earlier field", { exact: true }).fill("userIdentity.arn");

  await page.getByRole("button", { name: "Create rule" }).click();
  const nested = page.locator('[data-error-for="match.all.1.any.0.not.field"]');
  await expect(nested).toContainText('unknown cloudtrail field "noSuchField"');
  await expect(page.locator('[data-testid="condition-row"][data-path="match.all.1.any.0.not"]')).toContainText('unknown cloudtrail field "noSuchField"');

  await page.getByLabel("Condition 2 field", { exact: true }).fill("userAgent");
  await page.getByLabel("Condition 2 test", { exact: true }).selectOption("contains");
  await page.getByRole("button", { name: "Create rule" }).click();
  await expect(page).toHaveURL(new RegExp(`/rules/${id}$`));
  const json = JSON.parse((await page.getByTestId("rule-json").textContent()) ?? "{}");
  expect(json.match).toEqual({
    all: [{ field: "eventSource", op: "equals", value: "iam.amazonaws.com" }, { any: [{ not: { field: "userAgent", op: "contains", value: "terraform" } }] }],
  });
  expect(json.correlation).toMatchObject({ source: "cloudtrail", withinSeconds: 1800, join: [{ field: "userIdentity.arn", otherField: "userIdentity.arn" }], match: { field: "eventName", op: "equals", value: "ConsoleLogin" } });

  // Back in the editor, the stored tree is in the builder again, and JSON is one click away.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Condition 2 field", { exact: true })).toHaveValue("userAgent");
  await expect(page.getByTestId("condition-not")).toHaveCount(1);
  await expect(page.getByLabel("Earlier condition 1 value", { exact: true })).toHaveValue("ConsoleLogin");
  await page.getByRole("button", { name: "Edit as JSON" }).click();
  await expect(page.getByLabel("Match as JSON")).toHaveValue(/"not"/);
});
