import { gzipSync } from "node:zlib";
import { generateCloudTrailWeek, cloudTrailSlotKey, type CloudTrailRecord } from "./demo-cloudtrail";
import { generateFlowLogHour } from "./demo-flowlogs";
import { ALNUM, DemoRandom, HEX } from "./demo-random";
import { HOUR_MS, demoWeek, slotRange } from "./demo-time";
import { planTimeline } from "./demo-timeline";
import { DEMO_ACCOUNTS, DEMO_REGIONS, demoVpc, type DemoAccount, type DemoRegion, type DemoVpc } from "./demo-world";

export { DEMO_ACCOUNTS, DEMO_REGIONS, type DemoAccount, type DemoRegion } from "./demo-world";

/** One S3 object of the demo week, as AWS would have delivered it. */
export interface DemoObject {
  /** The S3 key, in AWS's layout (see `generateDemoWeek`). */
  key: string;
  /** The gzipped object body. */
  body: Buffer;
  kind: "cloudtrail" | "vpcflow";
  /** CloudTrail: entries of `Records`; flow logs: record lines (the header line not counted). */
  records: number;
}

export interface DemoWeekOptions {
  /** End of the week (exclusive, UTC); the week is the 7 days before it. */
  end: Date;
  /** Seed of the generator (default 1): the same seed and end give the same objects, byte for byte. */
  seed?: number;
}

const DEFAULT_SEED = 1;

/**
 * Generates a realistic week of AWS logs for two accounts (`DEMO_ACCOUNTS`) in two regions
 * (`DEMO_REGIONS`): routine activity with a business-hours rhythm, plus the week's incidents
 * (see README.md beside this file for the timeline). Deterministic; about 2–3 s on one core.
 *
 * Objects, in time order (hour by hour):
 * - CloudTrail, at most one file per account, region and hour (none when nothing happened):
 *   `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_YYYYMMDDTHHmmZ_<16 alphanumerics>.json.gz`,
 *   body `{"Records":[...]}` — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 *   The file time is the minute of its newest event, so it never precedes what it holds.
 * - VPC flow logs, one file per account, region and hour:
 *   `AWSLogs/<account>/vpcflowlogs/<region>/YYYY/MM/DD/<account>_vpcflowlogs_<region>_fl-<17 hex>_YYYYMMDDTHH00Z_<8 hex>.log.gz`,
 *   a header line then one record per line — https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html
 *   (AWS publishes every 5 minutes; hourly files keep the demo's object count small).
 *   prod uses the default version 2 format, staging a custom format with version 3–5 fields.
 *
 * Every event time lies in [end − 7 days, end) and inside its file's hour.
 * Throws a RangeError when `end` is not a valid date.
 */
export function generateDemoWeek(options: DemoWeekOptions): DemoObject[] {
  const week = demoWeek(options.end);
  const rnd = new DemoRandom(options.seed ?? DEFAULT_SEED);
  const timeline = planTimeline(rnd, week);
  const cloudTrail = generateCloudTrailWeek(rnd, week, timeline);
  const vpcs = new Map<string, DemoVpc>();
  for (const account of DEMO_ACCOUNTS) for (const region of DEMO_REGIONS) vpcs.set(`${account.id}|${region}`, demoVpc(account, region));

  const objects: DemoObject[] = [];
  for (let slot = 0; slot < week.hours; slot += 1) {
    const { from, to } = slotRange(week, slot);
    if (to <= from) continue;
    for (const account of DEMO_ACCOUNTS) {
      for (const region of DEMO_REGIONS) {
        const records = cloudTrail.get(cloudTrailSlotKey(account.id, region, slot));
        if (records !== undefined && records.length > 0) objects.push(cloudTrailObject(rnd, account, region, records));
        const vpc = vpcs.get(`${account.id}|${region}`);
        if (vpc === undefined) continue;
        const flow = generateFlowLogHour(rnd, vpc, from, to, timeline);
        const hourStart = week.firstHour + slot * HOUR_MS;
        const key = `${prefix(account, region, "vpcflowlogs", hourStart)}${account.id}_vpcflowlogs_${region}_${vpc.flowLogId}_${compactTime(hourStart)}_${rnd.string(HEX, 8)}.log.gz`;
        objects.push({ key, body: gzipSync(flow.text), kind: "vpcflow", records: flow.records });
      }
    }
  }
  return objects;
}

function cloudTrailObject(rnd: DemoRandom, account: DemoAccount, region: DemoRegion, records: CloudTrailRecord[]): DemoObject {
  // Records are sorted by time; the file is stamped with the minute of the newest one.
  const newest = Date.parse(records[records.length - 1]?.eventTime ?? "");
  const key = `${prefix(account, region, "CloudTrail", newest)}${account.id}_CloudTrail_${region}_${compactTime(newest)}_${rnd.string(ALNUM, 16)}.json.gz`;
  return { key, body: gzipSync(JSON.stringify({ Records: records })), kind: "cloudtrail", records: records.length };
}

/** `AWSLogs/<account>/<service>/<region>/YYYY/MM/DD/` */
function prefix(account: DemoAccount, region: DemoRegion, service: string, ms: number): string {
  const iso = new Date(ms).toISOString();
  return `AWSLogs/${account.id}/${service}/${region}/${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)}/`;
}

/** `YYYYMMDDTHHmmZ` */
function compactTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

/** Totals of a generated week, for logs and tests. `gzippedBytes` is the sum of the object bodies. */
export interface DemoWeekSummary {
  objects: number;
  cloudTrailObjects: number;
  flowLogObjects: number;
  cloudTrailEvents: number;
  flowRecords: number;
  gzippedBytes: number;
}

/** Counts objects, records and bytes of `generateDemoWeek`'s output. */
export function summarizeDemoWeek(objects: readonly DemoObject[]): DemoWeekSummary {
  const summary: DemoWeekSummary = { objects: objects.length, cloudTrailObjects: 0, flowLogObjects: 0, cloudTrailEvents: 0, flowRecords: 0, gzippedBytes: 0 };
  for (const object of objects) {
    summary.gzippedBytes += object.body.length;
    if (object.kind === "cloudtrail") {
      summary.cloudTrailObjects += 1;
      summary.cloudTrailEvents += object.records;
    } else {
      summary.flowLogObjects += 1;
      summary.flowRecords += object.records;
    }
  }
  return summary;
}
