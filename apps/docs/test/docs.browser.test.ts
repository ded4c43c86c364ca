// Opens the served docs in the system's Chromium and checks that what a reader needs is on the page
// for every operation and webhook of the contract, reached the way a reader reaches it: sidebar,
// tabs, "Show properties" and variant switches. What to look for comes from the bundle, through the
// spec module.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Operation, resolve } from "@loops-contract/spec";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../scripts/browser.mjs";
import { serveDocs } from "../scripts/serve.mjs";
import {
  codeSamples,
  operations,
  paragraphs,
  requestFields,
  responseFields,
  webhookFields,
  webhooks,
} from "./contract.js";
import {
  fieldRevealer,
  goThroughSidebar,
  keepRendering,
  rendersFrames,
  showSamples,
  showStatus,
} from "./reveal.js";

const screenshot = fileURLToPath(new URL("../test-results/docs.png", import.meta.url));
const noDifference = { missing: [], unexpected: [] };
/**
 * What the page should show and does not, and what it shows that the contract does not have.
 * Redoc labels an array's items `[i]`: a label, not a field.
 */
function difference(seen = new Set<string>(), expected = new Set<string>()) {
  const shown = [...seen].filter((name) => name !== "[i]");
  return {
    missing: [...expected].filter((name) => !seen.has(name)).sort(),
    unexpected: shown.filter((name) => !expected.has(name)).sort(),
  };
}
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/**
 * An operation's heading: its summary, with Redoc's badge after it when it is deprecated (its text
 * is "deprecated", shown in capitals by CSS).
 */
const headingOf = (operation: Operation) =>
  new RegExp(
    `^${escaped(operation.summary)}${resolve(operation.pointer).node.deprecated === true ? "\\s*[Dd]eprecated\\s*" : ""}$`,
  );

describe("the docs page in Chromium", () => {
  let docs: Awaited<ReturnType<typeof serveDocs>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const consoleErrors: string[] = [];
  const offHostRequests: string[] = [];

  beforeAll(async () => {
    docs = await serveDocs();
    browser = await launchChromium();
    page = browser.page;
    page.context().on("request", (request) => {
      const { protocol, hostname } = new URL(request.url());
      // blob: and data: URLs are the page's own memory, not the network.
      if (protocol !== "blob:" && protocol !== "data:" && hostname !== "127.0.0.1") {
        offHostRequests.push(request.url());
      }
    });
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(error.message));
    // One page for every operation, as a reader reads it: through the sidebar, without reloading.
    await page.goto(docs.url);
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(fileURLToPath(new URL("../test-results/", import.meta.url)), { recursive: true });
      // A screenshot waits for a frame.
      await keepRendering(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await browser?.close();
    await docs?.stop();
  });

  describe.each(operations)("$operationId", (operation) => {
    // Redoc's section for the operation: `/<tag>/<operationId>`, lower-cased.
    const root = `[data-section-id$="/${operation.operationId.toLowerCase()}"]`;
    const statuses = responseFields(operation);
    let revealFields: ReturnType<typeof fieldRevealer>;

    beforeAll(async () => {
      await goThroughSidebar(page, root, operation);
      revealFields = fieldRevealer(page, root);
    });

    it("shows its title and description, under its tag", async () => {
      const heading = page.locator(root).locator("h1, h2", { hasText: headingOf(operation) });
      expect(await heading.isVisible()).toBe(true);
      for (const paragraph of paragraphs(operation.description)) {
        expect(await page.locator(root).getByText(paragraph).first().isVisible(), paragraph).toBe(
          true,
        );
      }
    });

    it("shows every request field, once the reader opens the nested ones", async () => {
      const seenFields = await revealFields();
      expect(difference(seenFields.get("request"), requestFields(operation))).toEqual(noDifference);
    });

    it("shows every status code, each with its headers and body fields", async () => {
      const codes = [...statuses.keys()];
      const tabs = page.locator(root).locator('[id$="/responses"] [role="tab"]');
      await expect(tabs.allInnerTexts()).resolves.toEqual(codes);
      for (const code of codes) {
        await showStatus(page, root, code);
        const seenFields = await revealFields();
        expect(difference(seenFields.get(`response ${code}`), statuses.get(code)), code).toEqual(
          noDifference,
        );
      }
    });

    it("shows each of its code samples, exactly as in the contract", async () => {
      const samples = codeSamples(operation);
      expect(samples.length).toBeGreaterThan(0);
      const shown = await showSamples(
        page,
        root,
        samples.map((sample) => sample.label),
      );
      expect(
        shown.map(({ label, visible, source }) => ({ label, visible, source: source?.trimEnd() })),
      ).toEqual(samples.map(({ label, source }) => ({ label, visible: true, source })));
    });
  });

  // The same page, on through the sidebar: each webhook's title, description, headers and fields.
  describe.each(webhooks)("webhook $key", (webhook) => {
    const root = `[data-section-id="/webhooks/${webhook.key.toLowerCase()}"]`;

    beforeAll(async () => {
      await goThroughSidebar(page, root, { tag: "Webhooks", summary: webhook.summary });
    });

    it("shows its title, description, the three headers and every payload field", async () => {
      // Redoc badges a webhook's heading "Webhook".
      const title = new RegExp(`^${escaped(webhook.summary)}\\s*Webhook$`);
      const heading = page.locator(root).locator("h1, h2", { hasText: title });
      expect(await heading.isVisible()).toBe(true);
      for (const paragraph of paragraphs(webhook.description)) {
        expect(await page.locator(root).getByText(paragraph).first().isVisible(), paragraph).toBe(
          true,
        );
      }
      const seenFields = await fieldRevealer(page, root)();
      expect(difference(seenFields.get("request"), webhookFields(webhook))).toEqual(noDifference);
    });
  });

  it("gives a page that stopped rendering frames new ones before the next operation", async () => {
    const [first] = operations;
    if (!first) throw new Error("The contract has no operation.");
    // The stall as the page sees it: animation frames never come, timers still run.
    await page.evaluate(() => {
      window.requestAnimationFrame = () => 0;
    });
    expect(await rendersFrames(page, 500)).toBe(false);
    const root = `[data-section-id$="/${first.operationId.toLowerCase()}"]`;
    await goThroughSidebar(page, root, first);
    expect(await rendersFrames(page)).toBe(true);
    expect(await page.locator(root).locator("h1, h2").first().isVisible()).toBe(true);
  });

  it("logs no console error and requests nothing off 127.0.0.1", () => {
    expect({ consoleErrors, offHostRequests }).toEqual({ consoleErrors: [], offHostRequests: [] });
  });
});
