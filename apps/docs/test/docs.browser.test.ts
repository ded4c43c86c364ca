// Opens the served docs in the system's Chromium and checks what a reader needs is on the page,
// reached the way a reader reaches it: sidebar, tabs, "Show properties" and variant switches.
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openOperation } from "../scripts/browser.mjs";
import { serveDocs } from "../scripts/serve.mjs";
import { operation, paragraphs, requestFields, responseFields } from "./contract.js";
import { fieldRevealer } from "./reveal.js";

const createCampaign = operation("createCampaign");
const title = String(createCampaign.summary);
const tag = String((createCampaign.tags as string[])[0]);
const statuses = responseFields(createCampaign);
const screenshot = fileURLToPath(new URL("../test-results/docs.png", import.meta.url));
const sample = (file: string) =>
  readFileSync(new URL(`../samples/${file}`, import.meta.url), "utf8").trimEnd();

describe("the docs page in Chromium", () => {
  let docs: Awaited<ReturnType<typeof serveDocs>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const consoleErrors: string[] = [];
  const offHostRequests: string[] = [];
  let revealFields: ReturnType<typeof fieldRevealer>;

  beforeAll(async () => {
    docs = await serveDocs();
    browser = await launchChromium();
    page = browser.page;
    revealFields = fieldRevealer(page);
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
    await openOperation(page, docs.url, { tag, operation: title });
  });

  afterAll(async () => {
    if (page) {
      mkdirSync(fileURLToPath(new URL("../test-results/", import.meta.url)), { recursive: true });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: screenshot, fullPage: true });
    }
    await browser?.close();
    await docs?.stop();
  });

  it("shows the operation's title and description", async () => {
    const exactTitle = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
    const heading = page.locator("h1, h2", { hasText: exactTitle });
    expect(await heading.isVisible()).toBe(true);
    for (const paragraph of paragraphs(createCampaign.description)) {
      expect(await page.getByText(paragraph).isVisible(), paragraph).toBe(true);
    }
  });

  it("shows every request field, once the reader opens the nested ones", async () => {
    const seenFields = await revealFields();
    const expected = [...requestFields(createCampaign)].sort();
    expect(expected.length).toBeGreaterThan(10);
    expect([...(seenFields.get("request") ?? [])].sort()).toEqual(expected);
  });

  it("shows every status code, each with its headers and body fields", async () => {
    const codes = [...statuses.keys()];
    expect(codes).toEqual(expect.arrayContaining(["201", "400", "401", "404", "405", "429"]));
    const tabs = page.locator('[id$="/responses"] [role="tab"]');
    await expect(tabs.allInnerTexts()).resolves.toEqual(codes);
    for (const code of codes) {
      await tabs.getByText(code, { exact: true }).click();
      await page.locator(`[id*="/response&c=${code}/"]`).first().waitFor();
      const seenFields = await revealFields();
      expect([...(seenFields.get(`response ${code}`) ?? [])].sort(), code).toEqual(
        [...(statuses.get(code) ?? [])].sort(),
      );
    }
  });

  it("shows the curl and TypeScript samples, exactly as checked", async () => {
    const samples = [
      { label: "curl", source: sample("create-campaign.sh") },
      { label: "TypeScript", source: sample("create-campaign.ts") },
    ];
    for (const { label, source } of samples) {
      await page.getByRole("button", { name: /^(curl|TypeScript|Payload)$/ }).click();
      await page.getByRole("menuitem", { name: label }).click();
      const code = page.locator('[data-testid="source-code"]').first();
      expect(await code.isVisible()).toBe(true);
      expect((await code.textContent())?.trimEnd()).toBe(source);
    }
  });

  it("logs no console error and requests nothing off 127.0.0.1", () => {
    expect({ consoleErrors, offHostRequests }).toEqual({ consoleErrors: [], offHostRequests: [] });
  });
});
