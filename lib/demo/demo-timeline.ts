import type { DemoRandom } from "./demo-random";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, type DemoWeek } from "./demo-time";

/**
 * When the week's notable events happen (epoch ms). CloudTrail and flow logs read the same
 * timeline, so the stories line up across both: the SSH probe hits the bastion exactly while
 * its security group is open, and nothing is logged between StopLogging and StartLogging.
 * Days are counted from midnight UTC before the week starts; days 1–6 always lie fully inside it.
 */
export interface DemoTimeline {
  /** staging: routine terraform apply (office CIDR on 443, inline role policy). */
  terraformApply: number;
  /** staging: hiro.tanaka signs in without MFA… */
  sshOpenLogin: number;
  /** …and opens the eu-west-1 bastion's security group to 0.0.0.0/0 on port 22. */
  sshOpened: number;
  /** staging: terraform reverts the drift (RevokeSecurityGroupIngress). */
  sshClosed: number;
  /** staging: alice.nguyen creates the user ci-preview and its access key. */
  ciPreviewUser: number;
  /** prod: first of a burst of failed console sign-ins for m.okafor from a foreign address. */
  bruteForce: number;
  /** prod: bogdan.petrov turns off Block Public Access on the public assets bucket and makes it world-readable. */
  publicAssetsOpened: number;
  /** prod: bogdan.petrov rotates his access key. */
  keyRotation: number;
  /** prod: terraform turns on log file validation (UpdateTrail). */
  updateTrail: number;
  /** prod us-east-1: an external address scans web-1's ports. */
  portScan: number;
  /** prod: KMS rotates the app key (an AwsServiceEvent). */
  rotateKey: number;
  /** prod: terraform adds an inline policy to the app role. */
  putRolePolicy: number;
  /** prod: legacy.admin, from a foreign address, stops the trail… */
  stopLogging: number;
  /** …and alice.nguyen, on call, starts it again. Nothing from prod is delivered in between. */
  startLogging: number;
  /** prod: legacy.admin signs in without MFA and creates an admin user with an access key. */
  backdoorUser: number;
  /** prod: alice.nguyen responds: a role chain (source identity alice.nguyen) removes svc-reporting. */
  incidentResponse: number;
  /** prod: the root user signs in (with MFA) and looks around. */
  rootLogin: number;
  /** staging: terraform rewrites the deploy role's trust policy. */
  trustPolicyChange: number;
  /** staging: grace.kim disables a KMS key and schedules its deletion. */
  keyDeletion: number;
  /** staging: ines.moreau deletes ci-preview's key and the user. */
  ciPreviewCleanup: number;
}

/** Places every notable event of the week; `rnd` adds a few minutes of jitter so weeks differ by seed. */
export function planTimeline(rnd: DemoRandom, week: DemoWeek): DemoTimeline {
  const at = (day: number, hour: number, minute: number, jitterMinutes = 6): number =>
    week.day0 + day * DAY_MS + hour * HOUR_MS + (minute + rnd.int(0, jitterMinutes)) * MINUTE_MS + rnd.int(0, 59) * SECOND_MS;

  const sshOpenLogin = at(1, 10, 2);
  const stopLogging = at(3, 23, 38, 4);
  return {
    terraformApply: at(1, 9, 31),
    sshOpenLogin,
    sshOpened: sshOpenLogin + rnd.int(6, 11) * MINUTE_MS,
    sshClosed: at(1, 17, 34),
    ciPreviewUser: at(1, 11, 15),
    bruteForce: at(2, 3, 10),
    publicAssetsOpened: at(2, 11, 5),
    keyRotation: at(2, 15, 0),
    updateTrail: at(2, 16, 38),
    // Starts at HH:2x and lasts about four minutes, so the whole scan lands in one hourly file.
    portScan: at(2, 19, 20, 5),
    rotateKey: at(3, 4, 10),
    putRolePolicy: at(3, 10, 12),
    stopLogging,
    startLogging: stopLogging + rnd.int(19, 26) * MINUTE_MS,
    backdoorUser: at(4, 13, 55),
    incidentResponse: at(4, 15, 10),
    rootLogin: at(5, 7, 48),
    trustPolicyChange: at(5, 9, 28),
    keyDeletion: at(5, 16, 27),
    ciPreviewCleanup: at(6, 10, 0),
  };
}
