// Regenerates screenshot.png, the picture of the docs in the root README: the contract's first
// operation that takes a body, as a reader first sees it, with the TypeScript sample selected.
// Needs `build` first.
import { fileURLToPath } from "node:url";
import { operations } from "@loops-contract/spec";
import { launchChromium, openOperation } from "./browser.mjs";
import { serveDocs } from "./serve.mjs";

const output = fileURLToPath(new URL("../screenshot.png", import.meta.url));
const shown = operations.find((operation) => operation.requestBody) ?? operations[0];
if (!shown) throw new Error("The contract has no operation to show.");
const title = new RegExp(`^${shown.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);

const docs = await serveDocs();
const browser = await launchChromium({ width: 1440, height: 1000 });
try {
  const { page } = browser;
  await openOperation(page, docs.url, { tag: shown.tag, operation: shown.summary });
  const section = page.locator(`[data-section-id$="/${shown.operationId.toLowerCase()}"]`);
  await section.getByRole("button", { name: "curl", exact: true }).click();
  await page.getByRole("menuitem", { name: "TypeScript" }).click();
  await section.locator("h1, h2", { hasText: title }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: output });
  console.log(`Wrote ${output}`);
} finally {
  await browser.close();
  await docs.stop();
}
