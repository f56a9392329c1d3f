/**
 * Test helper: the SQS message bodies held by one sample file of `../shared/samples/sqs/`.
 *
 * - A plain body file is its own body.
 * - A Lambda event-source wrapper (`{"Records":[{messageId, body}]}` or `{"Records":[{Sns:{…}}]}`) is
 *   returned as itself (the decoder must reject it) and, unwrapped, as each record's SQS `body`
 *   or SNS envelope (what an SQS subscription of that topic would receive).
 * - A LocalStack snapshot (recorded against AWS; SNS `Message` and SQS `Body` parsed into objects,
 *   single records kept without their `{"Records":[…]}`) is searched for message-shaped values,
 *   which are serialised back into bodies: SQS `Body`, SNS envelopes (with `Message` re-stringified),
 *   EventBridge events, S3 notifications, bare S3 records (re-wrapped in `Records`) and
 *   DynamoDB-typed S3 records written by the snapshot's Lambda (unmarshalled, re-wrapped).
 */
export interface SampleBody {
  /** Where in the file the body came from, e.g. `Records[1].body`, or `(file)`. */
  source: string;
  body: string;
  /** True when the body was rebuilt from a parsed snapshot value rather than taken verbatim. */
  rebuilt: boolean;
}

type Json = Record<string, unknown>;

export function sampleBodies(text: string): SampleBody[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [{ source: "(file)", body: text, rebuilt: false }];
  }
  if (isObject(value) && Object.values(value).some((v) => isObject(v) && "recorded-content" in v)) {
    const found: SampleBody[] = [];
    for (const [testName, entry] of Object.entries(value)) {
      if (isObject(entry)) walkSnapshot(entry["recorded-content"], shortTestName(testName), found);
    }
    return found;
  }
  const whole: SampleBody = { source: "(file)", body: text, rebuilt: false };
  if (isObject(value) && Array.isArray(value.Records)) {
    const unwrapped = value.Records.flatMap((record, i): SampleBody[] => {
      if (!isObject(record)) return [];
      if (typeof record.body === "string") return [{ source: `Records[${i}].body`, body: record.body, rebuilt: false }];
      if (isObject(record.Sns)) return [{ source: `Records[${i}].Sns`, body: JSON.stringify(record.Sns), rebuilt: true }];
      return [];
    });
    return [whole, ...unwrapped];
  }
  return [whole];
}

function walkSnapshot(value: unknown, path: string, found: SampleBody[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkSnapshot(item, `${path}[${i}]`, found));
    return;
  }
  if (!isObject(value)) return;

  if ("Body" in value && "MessageId" in value) {
    const body = typeof value.Body === "string" ? value.Body : JSON.stringify(value.Body);
    found.push({ source: `${path}.Body`, body, rebuilt: typeof value.Body !== "string" });
    return;
  }
  if (value.Type === "Notification" && "Message" in value) {
    const message = typeof value.Message === "string" ? value.Message : JSON.stringify(value.Message);
    found.push({ source: path, body: JSON.stringify({ ...value, Message: message }), rebuilt: true });
    return;
  }
  if ("detail-type" in value && "source" in value) {
    found.push({ source: path, body: JSON.stringify(value), rebuilt: true });
    return;
  }
  if (Array.isArray(value.Records) || (value.Event === "s3:TestEvent" && "Service" in value)) {
    found.push({ source: path, body: JSON.stringify(value), rebuilt: true });
    return;
  }
  if (value.eventSource === "aws:s3" && "s3" in value) {
    found.push({ source: `${path} (record)`, body: JSON.stringify({ Records: [value] }), rebuilt: true });
    return;
  }
  if (isObject(value.M)) {
    const record = unmarshall(value);
    if (isObject(record) && record.eventSource === "aws:s3") {
      found.push({ source: `${path} (DynamoDB record)`, body: JSON.stringify({ Records: [record] }), rebuilt: true });
      return;
    }
  }
  for (const [key, child] of Object.entries(value)) walkSnapshot(child, `${path}.${key}`, found);
}

/** DynamoDB attribute values (`{"S":…}`, `{"N":…}`, `{"M":…}`, `{"L":…}`) to plain JSON. */
function unmarshall(attribute: unknown): unknown {
  if (!isObject(attribute)) return attribute;
  if (typeof attribute.S === "string") return attribute.S;
  if (typeof attribute.N === "string") return Number(attribute.N);
  if (typeof attribute.BOOL === "boolean") return attribute.BOOL;
  if (attribute.NULL === true) return null;
  if (Array.isArray(attribute.L)) return attribute.L.map(unmarshall);
  if (isObject(attribute.M)) return Object.fromEntries(Object.entries(attribute.M).map(([k, v]) => [k, unmarshall(v)]));
  return attribute;
}

function shortTestName(name: string): string {
  return name.split("::").pop() ?? name;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
