import { PRIVATE_NETWORKS } from "../detect/conditions";
import { mergeSelections, type Selection } from "./selection";

/**
 * The flow-record selections the Network report counts and its leader boards (lib/reports/leaders.ts) keep.
 * Fields: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html.
 */

/** Records that describe traffic (not NODATA / SKIPDATA intervals). */
export const TRAFFIC: Selection = { include: { "log-status": "OK" } };
export const ACCEPT: Selection = { include: { action: "ACCEPT" } };
export const REJECT: Selection = { include: { action: "REJECT" } };
/** Traffic from an address outside private, shared and link-local space: the internet. */
export const FROM_PUBLIC: Selection = mergeSelections(TRAFFIC, { include: { srcaddr: "*" }, exclude: { srcaddr: PRIVATE_NETWORKS } });
/** SSH and RDP. */
export const REMOTE_ADMIN_PORTS = [22, 3389] as const;
/** SSH and RDP from the internet. */
export const REMOTE_ADMIN_FROM_PUBLIC: Selection = mergeSelections(FROM_PUBLIC, { include: { dstport: [...REMOTE_ADMIN_PORTS] } });
