import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { DEFAULT_FLOW_LOG_FIELDS, FLOW_FIELDS, FLOW_FIELDS_BY_NAME, TRANSIT_GATEWAY_EXTRA_FIELDS, type FlowFieldType } from "./flow-fields";
import { firstLineFields, parseOne, REPO_ROOT, sharedSample, testdata } from "./testdata/samples";

const SEKOIA_1955 = "111111111111_vpcflowlogs_eu-west-2_fl-0dcbf7c4c2483c6b6_20220221T1955Z_7fe2e5f7.log";

test("names, properties and columns are each unique", () => {
  for (const key of ["name", "property", "column"] as const) {
    const values = FLOW_FIELDS.map((f) => f[key]);
    assert.deepEqual(values.filter((v, i) => values.indexOf(v) !== i), [], `duplicate ${key}`);
  }
  assert.equal(FLOW_FIELDS_BY_NAME.size, FLOW_FIELDS.length);
  for (const name of TRANSIT_GATEWAY_EXTRA_FIELDS) assert.ok(!FLOW_FIELDS_BY_NAME.has(name), `${name} is both a column and extra`);
});

test("every FlowRow property but lineNumber and extra has exactly one catalogue entry", async () => {
  const row = await parseOne("version\n2\n");
  const properties = Object.keys(row).filter((k) => k !== "lineNumber" && k !== "extra").sort();
  assert.deepEqual(FLOW_FIELDS.map((f) => f.property).sort(), properties);
});

test("columns are the snake_case of properties, as lib/ingest derives them", () => {
  for (const f of FLOW_FIELDS) assert.equal(f.column, f.property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f.name);
});

test("columns and types agree with model FlowRecord in prisma/schema.prisma", () => {
  const schema = readFileSync(path.join(REPO_ROOT, "prisma/schema.prisma"), "utf8");
  const model = /model FlowRecord \{([\s\S]*?)\n\}/.exec(schema)?.[1];
  assert.ok(model, "model FlowRecord not found in prisma/schema.prisma");
  const columns = new Map<string, { column: string; type: string; inet: boolean }>();
  for (const line of model.split("\n")) {
    const m = /^\s+(\w+)\s+(\w+)\??\s*(.*)$/.exec(line);
    if (!m || m[1]!.startsWith("@@")) continue;
    const column = /@map\("([^"]+)"\)/.exec(m[3]!)?.[1] ?? m[1]!;
    columns.set(m[1]!, { column, type: m[2]!, inet: m[3]!.includes("@db.Inet") });
  }
  const prismaType: Record<FlowFieldType, string> = { int: "Int", port: "Int", bigint: "BigInt", "unix-seconds": "DateTime", inet: "String", text: "String" };
  for (const f of FLOW_FIELDS) {
    const c = columns.get(f.property);
    assert.ok(c, `FlowRecord has no field ${f.property} (for ${f.name})`);
    assert.equal(c.column, f.column, `${f.name}: column`);
    assert.equal(c.type, prismaType[f.type], `${f.name}: ${f.type} is stored as ${c.type}`);
    assert.equal(c.inet, f.type === "inet", `${f.name}: @db.Inet`);
  }
});

test("names, order and versions 2-5 match AWS's Available fields table", () => {
  // The saved page predates ECS (version 7) and reject-reason (version 8) fields.
  const page = sharedSample("aws-docs/vpc-user-guide/flow-logs.md").toString("utf8");
  const documented = [...page.matchAll(/^\|\s+([a-z\\-]+)\s+\|.*\|\s+(\d)\s+\|\s*$/gm)].map((m) => ({
    name: m[1]!.replaceAll("\\", ""),
    version: Number(m[2]),
  }));
  assert.equal(documented.length, 29, "fields of versions 2-5 on the saved page");
  assert.deepEqual(
    FLOW_FIELDS.filter((f) => f.version <= 5).map((f) => ({ name: f.name, version: f.version })),
    documented,
  );
  assert.deepEqual(
    FLOW_FIELDS.filter((f) => f.version > 5).map((f) => `${f.name}@${f.version}`),
    [
      "ecs-cluster-arn@7", "ecs-cluster-name@7", "ecs-container-instance-arn@7", "ecs-container-instance-id@7",
      "ecs-container-id@7", "ecs-second-container-id@7", "ecs-service-name@7", "ecs-task-definition-arn@7",
      "ecs-task-arn@7", "ecs-task-id@7", "reject-reason@8",
    ],
  );
});

test("the default format is the header S3 delivery writes for it", () => {
  assert.deepEqual(DEFAULT_FLOW_LOG_FIELDS, firstLineFields(testdata(SEKOIA_1955)));
  assert.deepEqual(DEFAULT_FLOW_LOG_FIELDS, firstLineFields(sharedSample("aws-docs/extracted-vpcflow/docs-default-v2-records.log")));
});

test("types follow the documented units", () => {
  const typeOf = (name: string) => FLOW_FIELDS_BY_NAME.get(name)?.type;
  assert.deepEqual(
    ["srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"].map(typeOf),
    ["inet", "inet", "inet", "inet"],
  );
  assert.deepEqual(["srcport", "dstport"].map(typeOf), ["port", "port"]);
  assert.deepEqual(["packets", "bytes"].map(typeOf), ["bigint", "bigint"]);
  assert.deepEqual(["start", "end"].map(typeOf), ["unix-seconds", "unix-seconds"]);
  assert.equal(FLOW_FIELDS_BY_NAME.get("protocol")?.max, 255);
});
