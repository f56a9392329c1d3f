import { mergeSelections, type Selection } from "./selection";

/**
 * The sign-in selections the Login audit (lib/reports/login-audit.ts) counts and its leader boards
 * (lib/reports/leaders.ts) keep. Shapes: AWS's sign-in event reference
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html).
 */

const SIGNIN = "signin.amazonaws.com";

/** Every console sign-in (`ConsoleLogin`), successful or not. */
export const CONSOLE_LOGIN: Selection = { include: { eventSource: SIGNIN, eventName: "ConsoleLogin" } };
export const CONSOLE_LOGIN_SUCCESS: Selection = mergeSelections(CONSOLE_LOGIN, { include: { "responseElements.ConsoleLogin": "Success" } });
export const CONSOLE_LOGIN_FAILURE: Selection = mergeSelections(CONSOLE_LOGIN, { include: { "responseElements.ConsoleLogin": "Failure" } });
/** Sign-ins of IAM users and the root user: the ones whose `MFAUsed` is meaningful. */
export const DIRECT_CONSOLE_LOGIN: Selection = mergeSelections(CONSOLE_LOGIN, { include: { "userIdentity.type": ["IAMUser", "Root"] } });
/** Federated console sign-ins: a role session (SAML, IAM Identity Center) or a federated user (GetFederationToken). */
export const FEDERATED_CONSOLE_LOGIN: Selection = mergeSelections(CONSOLE_LOGIN, { include: { "userIdentity.type": ["AssumedRole", "FederatedUser"] } });
/** IAM Identity Center sign-ins to the access portal. */
export const SSO_AUTHENTICATION: Selection = { include: { eventSource: SIGNIN, eventName: "UserAuthentication" } };
/** Federation endpoint tokens and federation tokens: the steps of a custom console broker. */
export const FEDERATION_TOKENS: Selection = {
  include: { eventSource: [SIGNIN, "sts.amazonaws.com"], eventName: ["GetSigninToken", "GetFederationToken"] },
};

/** A console sign-in's result (`responseElements.ConsoleLogin`), and whether MFA was used. */
export const SUCCESS: Selection = { include: { "responseElements.ConsoleLogin": "Success" } };
export const FAILURE: Selection = { include: { "responseElements.ConsoleLogin": "Failure" } };
export const MFA_YES: Selection = { include: { "additionalEventData.MFAUsed": "Yes" } };
export const MFA_NOT_YES: Selection = { exclude: { "additionalEventData.MFAUsed": "Yes" } };

/**
 * Who signed in: the IAM user name (present on failures too, which carry no ARN), else the ARN
 * (root, role sessions of federated sign-ins).
 */
export const SIGNIN_USER = ["userIdentity.userName", "userIdentity.arn"] as const;
