import { all, call, contains } from "../conditions";
import { defineRule } from "../define-rule";
import { cloudTrailEvent } from "./examples";

const SCANNER_AGENTS = ["trufflehog", "kali", "pentoo", "parrot"];

const trufflehog = cloudTrailEvent({
  eventSource: "sts.amazonaws.com",
  eventName: "GetCallerIdentity",
  sourceIPAddress: "198.51.100.42",
  userAgent: "TruffleHog",
  requestParameters: null,
  responseElements: null,
  readOnly: true,
});

export default defineRule({
  id: "sts-credential-recon",
  title: "Credential check by a secret scanner or attack distribution",
  description:
    "GetCallerIdentity is how secret scanners verify a leaked access key and how attackers learn whose key they hold: from TruffleHog's user agent, or from Kali, Parrot or Pentoo Linux builds of the CLI and SDKs, it means the key is in someone else's hands (DETECTIONS.md B30). User agents are matched case-insensitively; GetCallerIdentity needs no permission, so failed calls are not a concern.",
  response:
    "Treat the access key (userIdentity.accessKeyId) as leaked: deactivate it, find where it was exposed (repositories, CI logs, images) and review everything done with it from other addresses.",
  severity: "high",
  techniques: ["T1087.004"],
  source: "cloudtrail",
  match: all(call("sts.amazonaws.com", ["GetCallerIdentity"]), contains("userAgent", SCANNER_AGENTS, { ignoreCase: true })),
  examples: [
    { name: "TruffleHog verifies a key", fires: true, records: [trufflehog] },
    { name: "trufflehog/3.63.0 user agent", fires: true, records: [{ ...trufflehog, userAgent: "trufflehog/3.63.0" }] },
    {
      name: "aws-cli on Kali Linux",
      fires: true,
      records: [{ ...trufflehog, userAgent: "aws-cli/2.15.0 md/awscrt#0.19.19 ua/2.0 os/linux#6.6.9-amd64 md/arch#x86_64 lang/python#3.11.8 md/pyimpl#CPython md/distrib#kali.2024 md/command#sts.get-caller-identity" }],
    },
    { name: "GetCallerIdentity from the ordinary aws-cli", fires: false, records: [{ ...trufflehog, userAgent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 command/sts.get-caller-identity" }] },
    { name: "TruffleHog user agent on another call", fires: false, records: [{ ...trufflehog, eventSource: "iam.amazonaws.com", eventName: "ListUsers" }] },
  ],
});
