// The inspector's server-sent events: each open stream hears that a key changed, and the page
// reads that key's panels again. Whatever writes to a key (an answer today; the journal, the
// outbox and webhook deliveries as they come) publishes here.
import type { JsonObject } from "@loops-contract/spec/json";

const encoder = new TextEncoder();

/** Streams open at once; one more is refused rather than let memory grow. */
export const maxStreams = 32;
/** Events a stream may hold unread before it is closed: the page reconnects and reads anew. */
const maxQueued = 1_000;

export class EventHub {
  readonly #streams = new Set<ReadableStreamDefaultController<Uint8Array>>();

  /** A new event stream, or `undefined` when `maxStreams` are open. */
  open(): ReadableStream<Uint8Array> | undefined {
    if (this.#streams.size >= maxStreams) return undefined;
    let own: ReadableStreamDefaultController<Uint8Array> | undefined;
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        own = controller;
        this.#streams.add(controller);
        // The reconnection delay, and a first line so that the client knows it is open.
        controller.enqueue(encoder.encode("retry: 1000\n: open\n\n"));
      },
      cancel: () => {
        if (own) this.#streams.delete(own);
      },
    });
  }

  /** Whether any stream is open: with none, an event need not even be made. */
  get listened(): boolean {
    return this.#streams.size > 0;
  }

  /** Sends an event of this name to every open stream. */
  publish(name: string, data: JsonObject): void {
    const chunk = encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    for (const controller of this.#streams) {
      if ((controller.desiredSize ?? 0) < -maxQueued) {
        this.#streams.delete(controller);
        controller.close();
        continue;
      }
      controller.enqueue(chunk);
    }
  }
}
