import type { OperationDescriptor, OperationInput, RequestOptions, Send } from "./core.js";
import { LoopsError } from "./errors.js";

interface Page<Item> {
  data: readonly Item[];
  pagination: { nextCursor?: string | null | undefined };
}

/**
 * What a list method returns. Awaited, it is the first page (`data`, `pagination`); iterated with
 * `for await`, it yields every item of every page, following `pagination.nextCursor` until it is
 * `null`. Each page goes through the same pipeline with the same options: timeout, retries and
 * abort signal. Nothing is sent until it is awaited or iterated.
 */
export class PagePromise<PageBody, Item> implements PromiseLike<PageBody>, AsyncIterable<Item> {
  readonly #send: Send;
  readonly #operation: OperationDescriptor;
  readonly #input: OperationInput;
  readonly #options: RequestOptions | undefined;
  #firstPage: Promise<PageBody> | undefined;

  constructor(
    send: Send,
    operation: OperationDescriptor,
    input: OperationInput,
    options: RequestOptions | undefined,
  ) {
    this.#send = send;
    this.#operation = operation;
    this.#input = input;
    this.#options = options;
  }

  #page(cursor: string | undefined): Promise<PageBody> {
    const input =
      cursor === undefined
        ? this.#input
        : { ...this.#input, query: { ...this.#input.query, cursor } };
    return this.#send(this.#operation, input, this.#options) as Promise<PageBody>;
  }

  #first(): Promise<PageBody> {
    this.#firstPage ??= this.#page(undefined);
    return this.#firstPage;
  }

  // biome-ignore lint/suspicious/noThenProperty: a thenable is the point: `await list()` is the first page.
  then<Fulfilled = PageBody, Rejected = never>(
    onFulfilled?: ((page: PageBody) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.#first().then(onFulfilled, onRejected);
  }

  catch<Rejected = never>(
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<PageBody | Rejected> {
    return this.#first().catch(onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<PageBody> {
    return this.#first().finally(onFinally);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    let page = asPage<Item>(await this.#first());
    for (;;) {
      yield* page.data;
      const cursor = page.pagination.nextCursor;
      if (cursor === null || cursor === undefined) return;
      page = asPage<Item>(await this.#page(cursor));
      if (page.pagination.nextCursor === cursor) {
        throw new LoopsError(`The server gave the same next cursor twice (${cursor}): stopping.`);
      }
    }
  }
}

function asPage<Item>(body: unknown): Page<Item> {
  const page = body as Partial<Page<Item>>;
  if (Array.isArray(page.data) && typeof page.pagination === "object" && page.pagination !== null) {
    return page as Page<Item>;
  }
  throw new LoopsError("The list response has no `data` array and `pagination` object.");
}
