// Auto-pagination, for every list the contract has (a `cursor` query parameter and a body with
// `data` and `pagination.nextCursor`), walked from the generated table.
import { operations } from "@loops-contract/spec";
import { afterEach, describe, expect, test, vi } from "vitest";
import { APIUserAbortError, type LoopsClient, LoopsError, RateLimitError } from "../src/index.js";
import { resources } from "../src/resources.gen.js";
import { examples } from "./contract-examples.gen.js";
import {
  clientWith,
  hangingFetch,
  jsonResponse,
  rejectionOf,
  scriptedFetch,
  sentRequest,
} from "./helpers.js";

interface Page {
  data: Array<Record<string, unknown>>;
  pagination: Record<string, unknown> & { nextCursor: string | null };
}

const lists = Object.entries(resources).flatMap(([namespace, members]) =>
  Object.entries(members)
    .filter(([, descriptor]) => descriptor.paginated)
    .map(([name, descriptor]) => {
      const own = (examples as unknown as Record<string, { success: Record<string, Page> }>)[
        descriptor.operationId
      ];
      const example = own && Object.values(own.success).find((page) => page.data.length > 0);
      if (!example) throw new Error(`${descriptor.operationId} needs a success example with items`);
      return {
        label: `${namespace}.${name}`,
        list: (loops: LoopsClient, ...args: unknown[]) =>
          (Reflect.get(Reflect.get(loops, namespace), name) as (...args: unknown[]) => unknown)(
            ...args,
          ) as PromiseLike<Page> & AsyncIterable<Record<string, unknown>>,
        /** A page of the example's shape holding `ids`, pointing at `nextCursor`. */
        page: (ids: string[], nextCursor: string | null) => () =>
          jsonResponse(200, {
            data: ids.map((id) => ({ ...example.data[0], id })),
            pagination: { ...example.pagination, nextCursor },
          }),
      };
    }),
);

afterEach(() => {
  vi.useRealTimers();
});

test("every operation that takes a cursor is paginated", () => {
  const withCursor = operations
    .filter((operation) => operation.queryParameters.some(({ name }) => name === "cursor"))
    .map(({ operationId }) => operationId);
  expect(lists.length).toBe(withCursor.length);
});

async function collect(iterable: AsyncIterable<Record<string, unknown>>) {
  const ids: unknown[] = [];
  for await (const item of iterable) ids.push(item.id);
  return ids;
}

const cursorOf = (fetch: Parameters<typeof sentRequest>[0], index: number) =>
  new URL(sentRequest(fetch, index).url).searchParams.get("cursor");

describe.each(lists)("$label", ({ list, page }) => {
  test("awaited, it is the first page only", async () => {
    const fetch = scriptedFetch(page(["a", "b"], "next"), page(["c"], null));
    const first = await list(clientWith(fetch), { perPage: 10 });
    expect(first.data.map((item) => item.id)).toEqual(["a", "b"]);
    expect(first.pagination.nextCursor).toBe("next");
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(new URL(sentRequest(fetch).url).searchParams.get("perPage")).toBe("10");
  });

  test("nothing is sent until it is awaited or iterated", () => {
    const fetch = scriptedFetch(page(["a"], null));
    list(clientWith(fetch));
    expect(fetch).not.toHaveBeenCalled();
  });

  test("iterated, it yields every item across page boundaries, down to an empty last page", async () => {
    const fetch = scriptedFetch(
      page(["a", "b"], "cursor-2"),
      page(["c"], "cursor-3"),
      page([], null),
    );
    expect(await collect(list(clientWith(fetch), { perPage: 10 }))).toEqual(["a", "b", "c"]);
    expect(fetch).toHaveBeenCalledTimes(3);
    expect([0, 1, 2].map((index) => cursorOf(fetch, index))).toEqual([
      null,
      "cursor-2",
      "cursor-3",
    ]);
    for (const index of [0, 1, 2]) {
      expect(new URL(sentRequest(fetch, index).url).searchParams.get("perPage")).toBe("10");
    }
  });

  test("a single empty page yields nothing", async () => {
    expect(await collect(list(clientWith(scriptedFetch(page([], null)))))).toEqual([]);
  });

  test("a 429 on a later page is retried like any call, and iteration goes on", async () => {
    vi.useFakeTimers();
    const fetch = scriptedFetch(
      page(["a"], "cursor-2"),
      () => jsonResponse(429, { message: "Rate limit exceeded." }, { "Retry-After": "1" }),
      page(["b"], null),
    );
    const outcome = collect(list(clientWith(fetch)));
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toEqual(["a", "b"]);
    expect([1, 2].map((index) => cursorOf(fetch, index))).toEqual(["cursor-2", "cursor-2"]);
  });

  test("a later page out of retries throws the RateLimitError to the loop", async () => {
    const fetch = scriptedFetch(page(["a"], "cursor-2"), () =>
      jsonResponse(429, { message: "Rate limit exceeded." }, { "Retry-After": "0" }),
    );
    const error = await rejectionOf(collect(list(clientWith(fetch, { maxRetries: 1 }))));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  test("the caller's signal aborts a later page in flight", async () => {
    const controller = new AbortController();
    const hanging = hangingFetch();
    const fetch = scriptedFetch(page(["a", "b"], "cursor-2"), (request) => hanging(request));
    const seen: unknown[] = [];
    const error = await rejectionOf(
      (async () => {
        for await (const item of list(clientWith(fetch), {}, { signal: controller.signal })) {
          seen.push(item.id);
          if (seen.length === 2) setTimeout(() => controller.abort(new Error("enough")), 5);
        }
      })(),
    );
    expect(seen).toEqual(["a", "b"]);
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(sentRequest(fetch, 1).signal.aborted).toBe(true);
  });

  test("aborted between pages, no further page is requested", async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch(page(["a"], "cursor-2"), page(["b"], null));
    const error = await rejectionOf(
      (async () => {
        for await (const _item of list(clientWith(fetch), {}, { signal: controller.signal })) {
          controller.abort();
        }
      })(),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  test("a server that repeats a cursor ends the loop with an error instead of looping", async () => {
    const fetch = scriptedFetch(page(["a"], "same"), page(["b"], "same"));
    const error = await rejectionOf(collect(list(clientWith(fetch))));
    expect(error).toBeInstanceOf(LoopsError);
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
