import type { CheckedOperation, DriftReport } from "./check.js";
import type { Drift } from "./find-drift.js";

const kindLabels: Record<Drift["kind"], string> = {
  "undocumented-status": "undocumented status",
  "missing-header": "missing header",
  "header-value": "header value",
  "missing-body": "missing body",
  "missing-field": "missing required field",
  type: "changed type",
  enum: "unknown enum value",
  constraint: "constraint",
  "no-alternative": "matches no documented alternative",
};

export function describeDrift(drift: Drift): string {
  const where =
    drift.where === "status"
      ? "status"
      : `${drift.where} ${drift.location === "" ? "/" : drift.location}`;
  return `${where}: ${kindLabels[drift.kind]}: expected ${drift.expected}, got ${drift.actual}`;
}

function operationName(result: CheckedOperation): string {
  const { method, path, operationId } = result.operation;
  return `${method.toUpperCase()} ${path} (${operationId})`;
}

export function driftCount(report: DriftReport): number {
  return report.results.reduce((sum, result) => sum + result.drifts.length, 0);
}

/** The readable report: one line per operation, one indented line per drift. */
export function formatText(report: DriftReport): string {
  const lines = [`Drift check of ${report.baseUrl} against the contract`];
  for (const result of report.results) {
    if (result.notReached !== undefined) {
      lines.push(`  SKIP  ${operationName(result)}: not reached: ${result.notReached}`);
    } else if (result.drifts.length === 0) {
      lines.push(`  OK    ${operationName(result)}: ${result.status} matches the contract`);
    } else {
      lines.push(
        `  DRIFT ${operationName(result)}: ${result.status}, ${result.drifts.length} drift${result.drifts.length === 1 ? "" : "s"}`,
      );
      for (const drift of result.drifts) lines.push(`          ${describeDrift(drift)}`);
    }
  }
  const checked = report.results.filter((result) => result.notReached === undefined).length;
  const drifting = report.results.filter((result) => result.drifts.length > 0).length;
  const skipped = report.results.length - checked;
  lines.push(
    `${checked} operation${checked === 1 ? "" : "s"} checked in ${report.calls} call${report.calls === 1 ? "" : "s"}: ` +
      `${drifting} with drift (${driftCount(report)} drifts), ${skipped} not reached.`,
  );
  return `${lines.join("\n")}\n`;
}

// Hand-written: four elements and five escapes do not need an XML library.
function xml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** JUnit XML for CI: one test case per GET operation, a failure per drifting one, skipped when not reached. */
export function formatJunit(report: DriftReport): string {
  const failures = report.results.filter((result) => result.drifts.length > 0).length;
  const skipped = report.results.filter((result) => result.notReached !== undefined).length;
  const cases = report.results.map((result) => {
    const open = `    <testcase classname="loops-drift.${xml(result.operation.tag || "contract")}" name="${xml(operationName(result))}">`;
    if (result.notReached !== undefined) {
      return `${open}\n      <skipped message="${xml(`not reached: ${result.notReached}`)}"/>\n    </testcase>`;
    }
    if (result.drifts.length === 0) return `${open}</testcase>`;
    const lines = result.drifts.map(describeDrift).join("\n");
    return `${open}\n      <failure message="${xml(`${result.drifts.length} drift(s) from the contract`)}" type="drift">${xml(lines)}</failure>\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="loops-drift" tests="${report.results.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="loops-drift" tests="${report.results.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
