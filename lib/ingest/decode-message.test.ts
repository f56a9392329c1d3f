import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { decodeMessage } from "./decode-message";
import { sampleBodies } from "./testdata/sample-bodies";
import type { DecodedMessage, ObjectRef } from "./types";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../..");
/** Copies of Apache-2.0 / MIT / MIT-0 samples (see testdata/NOTICE.md). */
const testdata = (file: string) => readFileSync(path.join(here, "testdata", file), "utf8");
/** Samples under other licences (AWS docs: CC-BY-SA-4.0) are read in place, never copied. */
const shared = (file: string) => readFileSync(path.resolve(repoRoot, "../shared/samples", file), "utf8");

function objectsOf(decoded: DecodedMessage): ObjectRef[] {
  assert.equal(decoded.type, "objects", `expected objects, got ${JSON.stringify(decoded)}`);
  return decoded.type === "objects" ? decoded.objects : [];
}

function reasonOf(decoded: DecodedMessage, type: "ignored" | "rejected"): string {
  assert.equal(decoded.type, type, `expected ${type}, got ${JSON.stringify(decoded)}`);
  return decoded.type === type ? decoded.reason : "";
}

/** The one body extracted from `file` at `source` (see testdata/sample-bodies.ts). */
function bodyAt(file: string, source: string): string {
  const found = sampleBodies(testdata(file)).find((b) => b.source === source);
  assert.ok(found, `no body at ${source} in ${file}`);
  return found.body;
}

/** A real body with its first record edited, for cases no sample covers. */
function editedSekoiaBody(edit: (record: any) => void): string {
  const message = JSON.parse(testdata("sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-1.json"));
  edit(message.Records[0]);
  return JSON.stringify(message);
}

describe("decodeMessage: S3 event notification sent to SQS directly", () => {
  it("decodes a real CloudTrail-bucket notification (SEKOIA) with bucket, key, size, ETag and sequencer", () => {
    const decoded = decodeMessage(testdata("sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-1.json"));
    assert.equal(decoded.shape, "s3-notification");
    assert.deepEqual(objectsOf(decoded), [
      {
        bucket: "aws-cloudtrail-111111111111-3abc4c4f",
        key: "AWSLogs/111111111111/CloudTrail/eu-west-2/2022/02/21/111111111111_CloudTrail_eu-west-2_20220221T1020Z_nTGkKkyO0OcwEIvv.json.gz",
        size: 9234,
        etag: "0cdef8885755dff42b6fbd91732ae506",
        versionId: null,
        sequencer: "0062B9D834A809629F",
      },
    ]);
  });

  it("form-decodes keys: + is a space and %3D is = (eventVersion 2.5)", () => {
    const [object] = objectsOf(decodeMessage(testdata("sqs/boogy-cloudtrail-rs/s3-event-urlencoded-key.json")));
    assert.equal(object?.key, "my file=a.json.gz");
    assert.equal(object?.bucket, "ct-siem-sync");
    assert.equal(object?.size, 4096);
    assert.equal(object?.etag, "b21b84d653bb07b05b1e6b33684dc11b");
  });

  it("percent-decodes %20 and keeps versionId (aws-lambda-go, eventVersion 2.0)", () => {
    const [object] = objectsOf(decodeMessage(testdata("sqs/aws-lambda-go/s3-event.json")));
    assert.deepEqual(object, { bucket: "sourcebucket", key: "Happy Face.jpg", size: 1024, etag: "d41d8cd98f00b204e9800998ecf8427e", versionId: "version", sequencer: "Happy Sequencer" });
  });

  it("decodes the key AWS encoded as a%40b in LocalStack's snapshot recorded against AWS", () => {
    const body = bodyAt("sqs/localstack-snapshots/test_s3_notifications_sqs.snapshot.json", "test_key_encoding.receive_messages.messages[0] (record)");
    const [object] = objectsOf(decodeMessage(body));
    assert.equal(object?.key, "a@b");
    assert.equal(object?.size, 9);
    assert.equal(object?.etag, "437b930db84b8079c2dd804a71936b5f");
  });

  it("decodes UTF-8 percent-encoded Unicode keys and an encoded plus", () => {
    const body = editedSekoiaBody((r) => {
      r.s3.object.key = "AWSLogs/111111111111/CloudTrail/eu-west-2/2022/02/21/r%C3%A9sum%C3%A9+%E6%97%A5%E6%9C%AC+%F0%9F%93%84%2B1.json.gz";
    });
    const [object] = objectsOf(decodeMessage(body));
    assert.equal(object?.key, "AWSLogs/111111111111/CloudTrail/eu-west-2/2022/02/21/résumé 日本 📄+1.json.gz");
  });

  it("rejects a key with a malformed % sequence, naming the key", () => {
    for (const key of ["AWSLogs/bad%E0%A4%A.json.gz", "AWSLogs/bad%ZZ.json.gz", "AWSLogs/not-utf8-%C3%28.json.gz"]) {
      const decoded = decodeMessage(editedSekoiaBody((r) => (r.s3.object.key = key)));
      assert.equal(decoded.shape, "s3-notification");
      assert.match(reasonOf(decoded, "rejected"), /object key .*not valid URL encoding/);
      assert.ok(reasonOf(decoded, "rejected").includes(key));
    }
  });

  it("returns every ObjectCreated record of a multi-record message in order and skips the others", () => {
    // LocalStack's versioning snapshot: two Puts of one key, a version delete and a delete marker.
    const snapshot = JSON.parse(testdata("sqs/localstack-snapshots/test_s3_notifications_sqs.snapshot.json"));
    const records = snapshot["tests/aws/services/s3/test_s3_notifications_sqs.py::TestS3NotificationsToSQS::test_object_created_put_versioned"]["recorded-content"]["message-versioning-active"];
    const objects = objectsOf(decodeMessage(JSON.stringify({ Records: records })));
    assert.deepEqual(
      objects.map((o) => [o.key, o.size, o.etag, o.versionId]),
      [
        ["test-key", 13, "6869c34ca384e0ed836d49214f881e87", "version-id"],
        ["test-key", 4, "8d777f385d3dfec8815d20f7496026dc", "version-id"],
      ],
    );
  });

  it("combines records of two real messages into two ObjectRefs", () => {
    const first = JSON.parse(testdata("sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-1.json"));
    const second = JSON.parse(testdata("sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-2.json"));
    const objects = objectsOf(decodeMessage(JSON.stringify({ Records: [...first.Records, ...second.Records] })));
    assert.deepEqual(
      objects.map((o) => [o.key.split("/").pop(), o.size]),
      [
        ["111111111111_CloudTrail_eu-west-2_20220221T1020Z_nTGkKkyO0OcwEIvv.json.gz", 9234],
        ["111111111111_CloudTrail_eu-west-2_20220221T1055Z_YhegGgxhib9WTAx8.json.gz", 1084],
      ],
    );
  });

  it("accepts ObjectCreated:* of every kind (Put with glacierEventData, Copy, CompleteMultipartUpload)", () => {
    assert.equal(objectsOf(decodeMessage(testdata("sqs/powertools-lambda-python/s3EventGlacier.json")))[0]?.size, 1305107);
    const file = "sqs/localstack-snapshots/test_s3_notifications_sqs.snapshot.json";
    assert.equal(objectsOf(decodeMessage(bodyAt(file, "test_object_created_copy.receive_messages.messages[0] (record)")))[0]?.etag, "437b930db84b8079c2dd804a71936b5f");
    const multipart = objectsOf(decodeMessage(bodyAt(file, "test_object_created_complete_multipart_upload.receive_messages.messages[0] (record)")));
    assert.deepEqual(multipart[0], { bucket: "<resource:1>", key: "test-key", size: 6144, etag: "8eabe9d6b43316e840b079170916c079-1", versionId: null, sequencer: "sequencer" });
  });

  it("ignores ObjectRemoved, ObjectRestore, ObjectTagging and ObjectAcl records, saying which", () => {
    assert.match(reasonOf(decodeMessage(testdata("sqs/powertools-lambda-python/s3EventDeleteObject.json")), "ignored"), /ObjectRemoved:Delete.*only ObjectCreated:\*/);
    const file = "sqs/localstack-snapshots/test_s3_notifications_sqs.snapshot.json";
    for (const [source, eventName] of [
      ["test_restore_object.receive_messages.messages[0] (record)", "ObjectRestore:Post"],
      ["test_restore_object.receive_messages.messages[1] (record)", "ObjectRestore:Completed"],
      ["test_object_tagging_put_event.receive_messages.messages[0] (record)", "ObjectTagging:Put"],
      ["test_object_put_acl.receive_messages.messages[0] (record)", "ObjectAcl:Put"],
      ["test_delete_objects.receive_messages.messages[0] (record)", "ObjectRemoved:Delete"],
    ] as const) {
      const decoded = decodeMessage(bodyAt(file, source));
      assert.equal(decoded.shape, "s3-notification");
      assert.ok(reasonOf(decoded, "ignored").includes(eventName), source);
    }
  });

  it("rejects event versions other than 2.x", () => {
    const decoded = decodeMessage(editedSekoiaBody((r) => (r.eventVersion = "3.0")));
    assert.match(reasonOf(decoded, "rejected"), /eventVersion "3\.0" is not supported/);
  });

  it("rejects records missing bucket or key, naming the missing field", () => {
    assert.match(reasonOf(decodeMessage(editedSekoiaBody((r) => delete r.s3.object.key)), "rejected"), /Records\[0\].*s3\.object\.key/);
    assert.match(reasonOf(decodeMessage(editedSekoiaBody((r) => delete r.s3.bucket.name)), "rejected"), /s3\.bucket\.name/);
    assert.match(reasonOf(decodeMessage(editedSekoiaBody((r) => (r.s3.object.key = ""))), "rejected"), /s3\.object\.key/);
    assert.match(reasonOf(decodeMessage('{"Records":[]}'), "rejected"), /empty Records/);
  });

  it("rejects a CloudTrail log file sent as a message: its Records are not S3 events", () => {
    const decoded = decodeMessage(testdata("cloudtrail/aws-cloudtrail-processing-library/SerializerTestFileCompact.json"));
    assert.equal(decoded.shape, "s3-notification");
    assert.match(reasonOf(decoded, "rejected"), /eventSource is "eventSource1", expected "aws:s3"/);
  });
});

describe("decodeMessage: S3 event notification through SNS", () => {
  it("unwraps the SNS envelope's Message string (data-prepper)", () => {
    const decoded = decodeMessage(testdata("sqs/opensearch-data-prepper/sns-wrapped-s3-notification.json"));
    assert.equal(decoded.shape, "sns/s3-notification");
    assert.deepEqual(objectsOf(decoded), [{ bucket: "my-sns-bucket", key: "path/to/testlogs.log.gz", size: 25, etag: "abc", versionId: null, sequencer: "ABC" }]);
  });

  it("decodes the SQS body inside boogy's Lambda SQS event (SNS → SQS)", () => {
    const decoded = decodeMessage(bodyAt("sqs/boogy-cloudtrail-rs/sqs-sns-event.json", "Records[0].body"));
    assert.equal(decoded.shape, "sns/s3-notification");
    assert.deepEqual(objectsOf(decoded)[0], { bucket: "lambda-artifacts-deafc19498e3f2df", key: "b21b84d653bb07b05b1e6b33684dc11b", size: 1305107, etag: "b21b84d653bb07b05b1e6b33684dc11b", versionId: null, sequencer: "0C0F6F405D6ED209E1" });
  });

  it("decodes the SNS deliveries LocalStack recorded against AWS", () => {
    const file = "sqs/localstack-snapshots/test_s3_notifications_sns.snapshot.json";
    const decoded = decodeMessage(bodyAt(file, "test_object_created_put.receive_messages.messages[0]"));
    assert.equal(decoded.shape, "sns/s3-notification");
    assert.deepEqual(objectsOf(decoded)[0], { bucket: "<resource:1>", key: "bucket-key", size: 11, etag: "c8e3a3027a133355210f85cfbb1acc35", versionId: null, sequencer: "sequencer" });
    assert.equal(objectsOf(decodeMessage(bodyAt(file, "test_bucket_notifications_with_filter.message")))[0]?.key, "testupload/dir1/testfile.txt");
  });

  it("treats SNS raw message delivery as the S3 notification itself (shape s3-notification)", () => {
    // With raw delivery the body is byte-for-byte what S3 sends to SQS directly.
    const decoded = decodeMessage(testdata("sqs/opensearch-data-prepper/direct-sqs-s3-notification.json"));
    assert.equal(decoded.shape, "s3-notification");
    assert.deepEqual(objectsOf(decoded)[0], { bucket: "my-bucket", key: "path/to/myfile.log.gz", size: 3159112, etag: "abcd123", versionId: null, sequencer: "000" });
  });

  it("rejects SNS notifications that carry something else, naming the topic", () => {
    const hello = decodeMessage(bodyAt("sqs/powertools-lambda-python/snsSqsEvent.json", "Records[0].body"));
    assert.match(reasonOf(hello, "rejected"), /arn:aws:sns:eu-west-1:231436140809:powertools265.*fields: message, username/);
    const docs = decodeMessage(shared("aws-docs/extracted-json/sns-developer-guide__sns-sqs-as-subscriber__01.json"));
    assert.match(reasonOf(docs, "rejected"), /MyTopic carries a Message that is not JSON: "Hello world!"/);
  });

  it("rejects an SNS envelope without a Message (AWS CloudTrail Processing Library's wrong-format sample)", () => {
    const decoded = decodeMessage(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBodyWrongFormat"));
    assert.equal(decoded.shape, "unknown");
    assert.match(reasonOf(decoded, "rejected"), /SNS envelope .*Message.*Messagess/);
  });

  it("rejects an SNS SubscriptionConfirmation with what to do", () => {
    const envelope = JSON.parse(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"));
    const decoded = decodeMessage(JSON.stringify({ ...envelope, Type: "SubscriptionConfirmation", Message: "You have chosen to subscribe to the topic" }));
    assert.match(reasonOf(decoded, "rejected"), /SubscriptionConfirmation.*confirm the subscription/);
  });
});

describe("decodeMessage: CloudTrail's SNS notification (s3Bucket / s3ObjectKey)", () => {
  it("decodes the real SQS body from AWS CloudTrail Processing Library, listing a repeated key once", () => {
    const decoded = decodeMessage(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"));
    assert.equal(decoded.shape, "sns/cloudtrail");
    assert.deepEqual(objectsOf(decoded), [
      {
        bucket: "my-test-bucket",
        key: "myprefix/AWSLogs/123456789012/CloudTrail/us-east-1/2014/03/09/123456789012_CloudTrail_us-east-1_20140309T2015Z_996mpJdKNLd1Yvzl.json.gz",
        size: null,
        etag: null,
        versionId: null,
        sequencer: null,
      },
    ]);
  });

  it("returns every key of a multi-key notification in order (the docs' 3-file example in a real envelope)", () => {
    const envelope = JSON.parse(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"));
    const message = shared("aws-docs/extracted-json/cloudtrail-user-guide__configure-sns-notifications-for-cloudtrail__02.json");
    const objects = objectsOf(decodeMessage(JSON.stringify({ ...envelope, Message: message })));
    assert.deepEqual(
      objects.map((o) => [o.bucket, o.key]),
      [
        ["your-bucket-name", "AWSLogs/123456789012/CloudTrail/us-east-2/2016/08/11/123456789012_CloudTrail_us-east-2_20160811T2215Z_kpaMYavMQA9Ahp7L.json.gz"],
        ["your-bucket-name", "AWSLogs/123456789012/CloudTrail/us-east-2/2016/08/11/123456789012_CloudTrail_us-east-2_20160811T2210Z_zqDkyQv3TK8ZdLr0.json.gz"],
        ["your-bucket-name", "AWSLogs/123456789012/CloudTrail/us-east-2/2016/08/11/123456789012_CloudTrail_us-east-2_20160811T2205Z_jaMVRa6JfdLCJYHP.json.gz"],
      ],
    );
  });

  it("uses CloudTrail's keys verbatim: they are not URL-encoded", () => {
    const envelope = JSON.parse(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"));
    const message = JSON.stringify({ s3Bucket: "b", s3ObjectKey: ["my+prefix/a%3Db/AWSLogs/123456789012/CloudTrail/x.json.gz"] });
    assert.equal(objectsOf(decodeMessage(JSON.stringify({ ...envelope, Message: message })))[0]?.key, "my+prefix/a%3Db/AWSLogs/123456789012/CloudTrail/x.json.gz");
  });

  it("decodes CloudTrail's notification delivered raw (the docs' single-file example as the body)", () => {
    const decoded = decodeMessage(shared("aws-docs/extracted-json/cloudtrail-user-guide__configure-sns-notifications-for-cloudtrail__01.json"));
    assert.equal(decoded.shape, "sns/cloudtrail");
    assert.equal(objectsOf(decoded)[0]?.key, "AWSLogs/123456789012/CloudTrail/us-east-2/2013/12/13/123456789012_CloudTrail_us-west-2_20131213T1920Z_LnPgDQnpkSKEsppV.json.gz");
  });

  it("rejects an empty key list", () => {
    const envelope = JSON.parse(testdata("cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody"));
    const decoded = decodeMessage(JSON.stringify({ ...envelope, Message: '{"s3Bucket":"my-test-bucket","s3ObjectKey":[]}' }));
    assert.equal(decoded.shape, "sns/cloudtrail");
    assert.match(reasonOf(decoded, "rejected"), /my-test-bucket lists no s3ObjectKey/);
  });
});

describe("decodeMessage: S3 events through EventBridge", () => {
  it("decodes Object Created with size, etag, version-id and sequencer (event-version 1.1)", () => {
    const decoded = decodeMessage(testdata("sqs/boogy-cloudtrail-rs/eventbridge-object-created.json"));
    assert.equal(decoded.shape, "eventbridge");
    assert.deepEqual(objectsOf(decoded), [{ bucket: "amzn-s3-demo-bucket1", key: "example-key", size: 5, etag: "b1946ac92492d2347c6235b4d2611184", versionId: "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", sequencer: "617f08299329d189" }]);
  });

  it("decodes Object Created without event-version (Powertools, as in the AWS docs example)", () => {
    const [object] = objectsOf(decodeMessage(testdata("sqs/powertools-lambda-python/s3EventBridgeNotificationObjectCreatedEvent.json")));
    assert.deepEqual(object, { bucket: "example-bucket", key: "IMG_m7fzo3.jpg", size: 184662, etag: "4e68adba0abe2dc8653dc3354e14c01d", versionId: null, sequencer: "006408CAD69598B05E" });
  });

  it("form-decodes EventBridge keys like notification keys (see the comment in decodeEventBridge)", () => {
    // boogy/cloudtrail-rs expects "my+file.json.gz" verbatim; we follow AWS's Powertools (unquote_plus).
    const [object] = objectsOf(decodeMessage(testdata("sqs/boogy-cloudtrail-rs/eventbridge-object-created-plus-key.json")));
    assert.equal(object?.key, "my file.json.gz");
    assert.equal(object?.bucket, "ct-siem-sync");
  });

  it("rejects an unsupported detail event-version or detail.version", () => {
    const decoded = decodeMessage(testdata("sqs/boogy-cloudtrail-rs/eventbridge-object-created-unsupported-version.json"));
    assert.equal(decoded.shape, "eventbridge");
    assert.match(reasonOf(decoded, "rejected"), /event-version"\] "2\.0" is not supported \(only 1\.x\)/);
    const event = JSON.parse(testdata("sqs/boogy-cloudtrail-rs/eventbridge-object-created.json"));
    event.detail.version = "1";
    assert.match(reasonOf(decodeMessage(JSON.stringify(event)), "rejected"), /detail\.version "1" is not supported/);
  });

  it("ignores other S3 detail types, naming them", () => {
    for (const [file, detailType] of [
      ["sqs/boogy-cloudtrail-rs/eventbridge-object-deleted.json", "Object Deleted"],
      ["sqs/boogy-cloudtrail-rs/eventbridge-object-restore-completed.json", "Object Restore Completed"],
      ["sqs/boogy-cloudtrail-rs/eventbridge-object-annotation-created.json", "Object Annotation Created"],
      ["sqs/powertools-lambda-python/s3EventBridgeNotificationObjectDeletedEvent.json", "Object Deleted"],
    ] as const) {
      const decoded = decodeMessage(testdata(file));
      assert.equal(decoded.shape, "eventbridge");
      assert.ok(reasonOf(decoded, "ignored").includes(`"${detailType}"`), file);
    }
  });

  it("decodes the EventBridge events LocalStack recorded against AWS", () => {
    const file = "sqs/localstack-snapshots/test_s3_notifications_eventbridge.snapshot.json";
    assert.deepEqual(objectsOf(decodeMessage(bodyAt(file, "test_object_created_put.object_created")))[0], {
      bucket: "<bucket-name:1>",
      key: "<key-name:1>",
      size: 4,
      etag: "8d777f385d3dfec8815d20f7496026dc",
      versionId: null,
      sequencer: "object-sequencer",
    });
    assert.match(reasonOf(decodeMessage(bodyAt(file, "test_object_put_acl.messages.messages[0]")), "ignored"), /"Object ACL Updated"/);
    assert.match(reasonOf(decodeMessage(bodyAt(file, "test_restore_object.messages.messages[0]")), "ignored"), /"Object Restore Initiated"/);
  });

  it("rejects EventBridge events from other sources with the rule to fix", () => {
    const decoded = decodeMessage(testdata("sqs/powertools-lambda-python/eventBridgeEvent.json"));
    assert.equal(decoded.shape, "eventbridge");
    assert.match(reasonOf(decoded, "rejected"), /"aws\.ec2".*narrow the EventBridge rule/);
  });
});

describe("decodeMessage: s3:TestEvent", () => {
  it("recognises the test event sent directly, with its bucket", () => {
    assert.deepEqual(decodeMessage(testdata("sqs/sekoia-automation-library/sqs-s3-testevent.json")), { type: "test", shape: "s3-test-event", bucket: "aws-cloudtrail-logs-111111111111-3abc4c4f" });
    assert.deepEqual(decodeMessage(testdata("sqs/boogy-cloudtrail-rs/s3-test-event.json")), { type: "test", shape: "s3-test-event", bucket: "bucketname" });
  });

  it("recognises the test event inside an SNS envelope", () => {
    const decoded = decodeMessage(bodyAt("sqs/boogy-cloudtrail-rs/sns-s3-test-event.json", "Records[0].Sns"));
    assert.deepEqual(decoded, { type: "test", shape: "sns/s3-test-event", bucket: "bucketname" });
  });
});

describe("decodeMessage: Lambda event-source wrappers are not SQS bodies", () => {
  it("rejects the wrappers themselves, saying so", () => {
    for (const file of ["sqs/powertools-lambda-python/sqsEvent.json", "sqs/powertools-lambda-python/s3SqsEvent.json", "sqs/boogy-cloudtrail-rs/sqs-batch-partial-garbage.json"]) {
      const decoded = decodeMessage(testdata(file));
      assert.equal(decoded.shape, "unknown");
      assert.match(reasonOf(decoded, "rejected"), /Lambda SQS event.*not an SQS message body.*Records\[\]\.body/, file);
    }
    assert.match(reasonOf(decodeMessage(testdata("sqs/boogy-cloudtrail-rs/sns-s3-test-event.json")), "rejected"), /Lambda SNS event/);
  });

  it("decodes the bodies they carry", () => {
    const [object] = objectsOf(decodeMessage(bodyAt("sqs/powertools-lambda-python/s3SqsEvent.json", "Records[0].body")));
    assert.deepEqual(object, { bucket: "xxx", key: "test.pdf", size: 104681, etag: "2e3ad1e983318bbd8e73b080e2997980", versionId: "yd3d4HaWOT2zguDLvIQLU6ptDTwKBnQV", sequencer: "00643717F9F8B85354" });

    const batch = sampleBodies(testdata("sqs/boogy-cloudtrail-rs/sqs-batch-partial-garbage.json")).filter((b) => b.source !== "(file)");
    assert.deepEqual(
      batch.map((b) => decodeMessage(b.body)).map((d) => (d.type === "objects" ? d.objects[0]?.key : `${d.type}:${d.shape}`)),
      ["b21b84d653bb07b05b1e6b33684dc11b", "rejected:not-json", "second-sibling-object.json.gz"],
    );
  });
});

describe("decodeMessage: anything else", () => {
  it("rejects non-JSON and JSON of other shapes with a reason", () => {
    assert.deepEqual(decodeMessage("Test message."), { type: "rejected", shape: "not-json", reason: 'message body is not JSON: "Test message."' });
    assert.deepEqual(decodeMessage(""), { type: "rejected", shape: "not-json", reason: 'message body is not JSON: ""' });
    assert.match(reasonOf(decodeMessage("[1,2]"), "rejected"), /not an object/);
    assert.match(reasonOf(decodeMessage('"text"'), "rejected"), /not an object/);
    assert.match(reasonOf(decodeMessage("{}"), "rejected"), /top-level fields: none/);
    assert.match(reasonOf(decodeMessage('{"message": "foo1"}'), "rejected"), /top-level fields: message\); check what publishes/);
  });

  it("never throws, even on every truncation of every sample body", () => {
    const files = [
      "sqs/boogy-cloudtrail-rs/sqs-sns-event.json",
      "sqs/boogy-cloudtrail-rs/eventbridge-object-created.json",
      "sqs/sekoia-automation-library/sqs-s3-notification-cloudtrail-1.json",
      "cloudtrail/aws-cloudtrail-processing-library/SQSMessageBody",
    ];
    for (const file of files) {
      for (const { body } of sampleBodies(testdata(file))) {
        for (let end = 0; end <= body.length; end += 7) {
          const decoded = decodeMessage(body.slice(0, end));
          assert.ok(["objects", "test", "ignored", "rejected"].includes(decoded.type));
        }
      }
    }
  });
});
