// The inspector in the system's Chromium, as a person uses it: data made through the API appears
// without a reload (server-sent events), a stored `<script>` stays text, the clock moves and the
// key resets from the page, and a cross-site form cannot reset it. One browser, one page.
import { copyFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type JsonObject, type Operation, operations, resolve } from "@loops-contract/spec";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningMock, startMock } from "../dist/index.js";
import { launchChromium } from "./support/chromium.js";

const results = fileURLToPath(new URL("../test-results/", import.meta.url));
const examplesNow = Date.parse("2026-04-02T09:00:00.000Z");
const apiKey = "inspector-walk-key-0001";
const hostile = `<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">`;
const day = 86_400_000;
const message = `<Paragraph>Hello</Paragraph>\n<script>window.pwned = 3</script>`;

let mock: RunningMock;
/** The record the first test created through the API. */
let created: JsonObject;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Off the inspector (the cross-site form, then the mock's 400 for it): its errors are expected. */
let offInspector = false;
const offHostRequests: string[] = [];

/** The first create the contract declares, and a body of it whose first plain text field is `text`. */
function createWith(text: string): { operation: Operation; body: JsonObject } {
  const operation = operations.find(
    (candidate) => candidate.sandbox?.action === "create" && candidate.requestBody?.examples[0],
  ) as Operation;
  const body = structuredClone(operation.requestBody?.examples[0]?.value) as JsonObject;
  const { pointer } = resolve(operation.requestBody?.schemaPointer ?? "");
  const field = Object.keys(body).find(
    (name) =>
      typeof body[name] === "string" &&
      resolve(`${pointer}/properties/${name}`).node.format === undefined,
  ) as string;
  body[field] = text;
  return { operation, body };
}

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as JsonObject };
}

beforeAll(async () => {
  mock = await startMock({ now: () => examplesNow });
  // A listener gives the key's webhooks somewhere to go, so their deliveries are kept.
  mock.onWebhook(() => {});
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !offInspector) {
      pageErrors.push(`${message.location().url}: ${message.text()}`);
    }
  });
  page.on("request", (request) => {
    const { protocol, host } = new URL(request.url());
    if (protocol !== "data:" && host !== new URL(mock.url).host)
      offHostRequests.push(request.url());
  });
});

afterAll(async () => {
  await browser?.close();
  await mock?.stop();
});

test("data created through the API appears without a reload, as text", async () => {
  await page.goto(`${mock.url}/_sandbox/inspector`);
  await page.getByText("live", { exact: true }).waitFor();
  await page.evaluate(() => Object.assign(window, { loadedOnce: true }));
  const { operation, body } = createWith(hostile);
  const answer = await api("POST", operation.path, body);
  expect(answer.status).toBeLessThan(300);
  created = answer.body;
  // The key, masked, and the record's panel arrive by the event stream.
  await page.getByRole("button", { name: "insp…0001" }).waitFor();
  const entry = page.locator("details.entry", { hasText: hostile }).first();
  await entry.locator("summary").click();
  await expect(entry.locator("dd", { hasText: hostile }).count()).resolves.toBeGreaterThan(0);
  const inert = await page.evaluate(() => ({
    pwned: (window as { pwned?: number }).pwned,
    loadedOnce: (window as { loadedOnce?: boolean }).loadedOnce,
    injected: document.querySelectorAll("main script, main img").length,
  }));
  expect(inert).toEqual({ pwned: undefined, loadedOnce: true, injected: 0 });
});

/** The operation the contract declares for a resource and action. */
const declared = (resource: string, action: string) =>
  operations.find(
    (operation) => operation.sandbox?.resource === resource && operation.sandbox.action === action,
  ) as Operation;

test("a preview sent through the API is in the outbox, subject and message as source, and in the journal", async () => {
  const messageId = String(created.emailMessageId);
  const update = declared("emailMessage", "update");
  const updated = await api("POST", update.path.replace(/\{[^}]+\}/, messageId), {
    subject: hostile,
    lmx: message,
  });
  expect(updated.status).toBe(200);
  const preview = operations.find(
    (operation) => operation.sandbox?.outbox?.kind === "preview",
  ) as Operation;
  const path = preview.path.replace(/\{[^}]+\}/, messageId);
  expect((await api("POST", path, preview.requestBody?.examples[0]?.value)).status).toBe(200);
  const entry = page.locator("#panel-outbox details.entry").first();
  await entry.locator("summary", { hasText: "preview" }).click();
  await entry.locator("dd", { hasText: hostile }).first().waitFor();
  await expect(
    entry.locator("pre", { hasText: "<script>window.pwned = 3</script>" }).count(),
  ).resolves.toBe(1);
  await page.locator("#panel-journal details.entry summary", { hasText: path }).first().waitFor();
  const inert = await page.evaluate(() => ({
    pwned: (window as { pwned?: number }).pwned,
    injected: document.querySelectorAll("main script, main img").length,
  }));
  expect(inert).toEqual({ pwned: undefined, injected: 0 });
  mkdirSync(results, { recursive: true });
  await page.screenshot({ path: `${results}inspector.png` });
  const readme = process.env.INSPECTOR_SCREENSHOT;
  if (readme) copyFileSync(`${results}inspector.png`, readme);
});

test("a webhook sent through the API appears among the deliveries, its body as source", async () => {
  const sent = await api("POST", "/_sandbox/webhooks/trigger", { event: "testingTestEvent" });
  expect(sent.status).toBe(200);
  const delivery = sent.body.delivery as JsonObject;
  const entry = page.locator("#panel-deliveries details.entry", {
    hasText: String(delivery.eventName),
  });
  await entry.locator("summary", { hasText: "delivered" }).click();
  await entry.locator("dd", { hasText: String(delivery.body) }).waitFor();
});

test("the clock moves a day from the page, as the key's clock reads over the API", async () => {
  await page.getByRole("button", { name: "+1 day" }).click();
  const later = new Date(examplesNow + day).toISOString();
  await page.locator("#clock", { hasText: later }).waitFor();
  expect(mock.now(apiKey)).toBe(examplesNow + day);
});

test("a cross-site form cannot reset the key: the mock wants JSON", async () => {
  const [handle] = (await (await fetch(`${mock.url}/_sandbox/inspector/keys`)).json()) as Array<{
    key: string;
  }>;
  const target = `${mock.url}/_sandbox/inspector/keys/${handle?.key}/reset`;
  const inspector = page.url();
  offInspector = true;
  await page.goto(`data:text/html,<form method=post action="${target}"><button>go</button></form>`);
  const [refused] = await Promise.all([
    page.waitForResponse(target),
    page.getByRole("button", { name: "go" }).click(),
  ]);
  expect(refused.status()).toBe(400);
  expect(mock.now(apiKey)).toBe(examplesNow + day);
  await page.goto(inspector);
  offInspector = false;
  await page.locator("details.entry", { hasText: hostile }).first().waitFor();
});

test("the key resets from the page: back to its seed and its clock", async () => {
  await page.getByRole("button", { name: "Reset this key" }).click();
  await page.locator("#clock", { hasText: new Date(examplesNow).toISOString() }).waitFor();
  await expect(page.locator("details.entry", { hasText: hostile }).count()).resolves.toBe(0);
  expect(mock.now(apiKey)).toBe(examplesNow);
});

test("nothing off the mock was requested, and the page logged no error", () => {
  expect({ pageErrors, offHostRequests }).toEqual({ pageErrors: [], offHostRequests: [] });
});
