import { catalogue, RAW_ROOTS } from "../../lib/detect/fields";

/** The field picker's names per source: the catalogue's columns, and CloudTrail's JSON roots to continue (`requestParameters.`). */
export function editorFields(): Record<string, { name: string; type: string }[]> {
  return {
    cloudtrail: [...catalogue("cloudtrail").map((f) => ({ name: f.name, type: f.type })), ...RAW_ROOTS.map((r) => ({ name: `${r}.`, type: "text" }))],
    vpcflow: catalogue("vpcflow").map((f) => ({ name: f.name, type: f.type })),
  };
}
