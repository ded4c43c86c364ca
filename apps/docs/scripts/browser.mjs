// Launches the system's Chromium (never a downloaded one) for the browser test and the screenshot.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const systemChromiums = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

// Nothing in the browser itself may phone home: the test fails on any request off 127.0.0.1.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * The Chrome or Chromium to drive: $CHROME_PATH, else the system's; throws how to get one.
 * @param {{ chromePath?: string | undefined, candidates?: string[] }} [where]
 */
export function findChromium({
  chromePath = process.env.CHROME_PATH,
  candidates = systemChromiums,
} = {}) {
  if (chromePath) {
    if (!existsSync(chromePath))
      throw new Error(`CHROME_PATH is ${chromePath}, which does not exist.`);
    return chromePath;
  }
  const found = candidates.find((path) => existsSync(path));
  if (found) return found;
  throw new Error(
    "No Chromium found. On Debian or Ubuntu, install it with `apt-get install -y chromium` (as root); " +
      `elsewhere, set CHROME_PATH to a Chrome or Chromium binary. Looked in: ${candidates.join(", ")}.`,
  );
}

/**
 * One headless Chromium with a fresh profile, and its first page.
 * @param {{ width?: number, height?: number }} [viewport]
 */
export async function launchChromium({ width = 1440, height = 900 } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), "loops-docs-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: true,
    args: chromiumArgs,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the docs at `url` and goes to the operation the way a reader does, through the sidebar.
 * @param {import("playwright-core").Page} page
 * @param {string} url
 * @param {{ tag: string, operation: string }} target the sidebar labels
 */
export async function openOperation(page, url, target) {
  await page.goto(url, { waitUntil: "networkidle" });
  await goToOperation(page, target);
}

/**
 * On the open docs page, goes to the operation through the sidebar: its tag first, when the tag's
 * operations are not showing yet, then the operation itself.
 * @param {import("playwright-core").Page} page
 * @param {{ tag: string, operation: string }} target the sidebar labels
 */
async function goToOperation(page, { tag, operation }) {
  const sidebar = page.locator(".menu-content");
  const escaped = operation.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // The sidebar entry reads "<summary> <method>"; the summary alone may start another one's.
  const link = sidebar.getByRole("link", {
    name: new RegExp(`^${escaped}\\s*(get|post|put|patch|delete)$`, "i"),
  });
  if (!(await link.isVisible()))
    await sidebar.getByRole("link", { name: tag, exact: true }).click();
  await link.click();
  // The heading's name also holds its anchor's label ("link to <summary>"): it ends with the summary.
  await page
    .getByRole("heading", { name: new RegExp(`(^|\\s)${escaped}$`) })
    .first()
    .waitFor();
}
