import { createLoopsClient, type LoopsClientOptions } from "@loops-contract/client";
import { expect, inject } from "vitest";
import { documentedResponseFor, operationPath, request as requestContract } from "./contract.js";

export const baseUrl = inject("baseUrl");
export const apiKey = inject("apiKey");
export const againstMock = inject("againstMock");
export const campaignsUrl = `${baseUrl}${operationPath}`;
/** Parallel requests per batch: the mock takes many; a real team is limited to 10 per second. */
export const concurrency = Number(process.env.CONTRACT_CONCURRENCY ?? (againstMock ? 16 : 1));
/** No request may hang: every one has this long to be answered. */
const answerWithinMs = 10_000;

export interface Observed {
  status: number;
  headers: Headers;
  text: string;
}

export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Headers;
  requestBody: string;
  response: Observed;
}

export const jsonHeaders = {
  authorization: `Bearer ${apiKey}`,
  "content-type": "application/json",
};

/** A request sent with plain fetch, for what the client's types would refuse to send. */
export async function sendRaw(init: {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  prefer?: string;
}): Promise<Observed> {
  const headers = new Headers(init.headers ?? jsonHeaders);
  if (init.prefer !== undefined) headers.set("prefer", init.prefer);
  const response = await fetch(campaignsUrl, {
    method: init.method ?? "POST",
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(answerWithinMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Rewrites what the client is about to send: a wrong header, a broken body. */
export type Tamper = (request: Request, body: string) => { headers?: Headers; body?: string };

/** A fetch for the client that keeps a copy of every exchange, optionally tampering first. */
export function recordingFetch(exchanges: Exchange[], tamper?: Tamper): typeof fetch {
  return async (input, init) => {
    let request = new Request(input, init);
    let body = await request.clone().text();
    if (tamper) {
      const change = tamper(request, body);
      body = change.body ?? body;
      request = new Request(request.url, {
        method: request.method,
        headers: change.headers ?? request.headers,
        body,
        signal: request.signal,
      });
    }
    const response = await fetch(request);
    const copy = response.clone();
    exchanges.push({
      method: request.method,
      url: request.url,
      requestHeaders: request.headers,
      requestBody: body,
      response: { status: copy.status, headers: copy.headers, text: await copy.text() },
    });
    return response;
  };
}

export function clientFor(
  exchanges: Exchange[],
  options: Partial<LoopsClientOptions> & { tamper?: Tamper | undefined } = {},
) {
  const { tamper, ...clientOptions } = options;
  return createLoopsClient({
    apiKey,
    baseUrl,
    maxRetries: 0,
    timeoutMs: answerWithinMs,
    ...clientOptions,
    fetch: recordingFetch(exchanges, tamper),
  });
}

/** The response is one the contract documents, with the body and headers it documents. */
export function expectConformingResponse(observed: Observed, context = ""): void {
  const label = `${context} (${observed.status}: ${observed.text.slice(0, 300)})`;
  const documented = documentedResponseFor(observed.status);
  expect(documented, `status ${observed.status} is not documented ${label}`).toBeDefined();
  if (!documented) return;

  if (documented.validateBody) {
    expect(observed.headers.get("content-type"), label).toMatch(/^application\/json\b/);
    const body: unknown = JSON.parse(observed.text);
    const valid = documented.validateBody(body);
    expect(
      valid,
      `body breaks the contract ${label}: ${JSON.stringify(documented.validateBody.errors)}`,
    ).toBe(true);
  } else {
    expect(observed.text, `the contract documents no body ${label}`).toBe("");
  }

  for (const header of documented.headers) {
    const value = observed.headers.get(header.name);
    if (value === null) {
      expect(header.required, `required header ${header.name} is missing ${label}`).toBe(false);
      continue;
    }
    const parsed = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    expect(header.validate(parsed), `header ${header.name}: ${value} ${label}`).toBe(true);
  }
}

/** What the client sent is what the contract asks for. */
export function expectConformingRequest(exchange: Exchange): void {
  expect(exchange.method).toBe("POST");
  expect(new URL(exchange.url).pathname).toBe(new URL(campaignsUrl).pathname);
  expect(exchange.requestHeaders.get("authorization")).toBe(`Bearer ${apiKey}`);
  expect(exchange.requestHeaders.get("content-type")).toMatch(/^application\/json\b/);
  const body: unknown = JSON.parse(exchange.requestBody);
  expect(
    requestContract.validate(body),
    `the client sent a body that breaks the contract: ${JSON.stringify(requestContract.validate.errors)}`,
  ).toBe(true);
}

/** Runs `task` over `items`, `concurrency` at a time. */
export async function inBatches<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += concurrency) {
    results.push(...(await Promise.all(items.slice(start, start + concurrency).map(task))));
  }
  return results;
}
