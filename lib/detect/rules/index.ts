import type { BuiltInRule } from "../define-rule";
import cloudtrailLoggingStopped from "./cloudtrail-logging-stopped";
import consoleLoginFailureBurst from "./console-login-failure-burst";
import vpcPortScan from "./vpc-port-scan";

/** Every built-in rule, one file each in this folder (the meta-test checks the list is complete). */
export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  cloudtrailLoggingStopped,
  consoleLoginFailureBurst,
  vpcPortScan,
];
