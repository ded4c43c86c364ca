// Regenerates screenshot.png, the picture of the docs in the root README: the operation as a reader
// first sees it, with the TypeScript sample selected. Needs `build` first.
import { fileURLToPath } from "node:url";
import { launchChromium, openOperation } from "./browser.mjs";
import { serveDocs } from "./serve.mjs";

const output = fileURLToPath(new URL("../screenshot.png", import.meta.url));

const docs = await serveDocs();
const browser = await launchChromium({ width: 1440, height: 1000 });
try {
  const { page } = browser;
  await openOperation(page, docs.url, { tag: "Campaigns", operation: "Create a campaign" });
  await page.getByRole("button", { name: "curl", exact: true }).click();
  await page.getByRole("menuitem", { name: "TypeScript" }).click();
  await page.locator("h1, h2", { hasText: /^Create a campaign$/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: output });
  console.log(`Wrote ${output}`);
} finally {
  await browser.close();
  await docs.stop();
}
