// The client's webhooks entry in a project without @types/node (tsconfig.without-node-types.json):
// a handler for Deno, Bun or a worker. Its declarations may name only what TypeScript's own
// libraries have; the `@ts-expect-error` holds only if the types are real.
import { verifyWebhook, WebhookVerificationError } from "@loops-contract/client/webhooks";

export async function handle(request: Request, secret: string): Promise<Response> {
  try {
    const event = await verifyWebhook(await request.arrayBuffer(), request.headers, secret);
    // @ts-expect-error: the verified event is typed, not `any`.
    const notANumber: number = event.eventName;
    return new Response(String(notANumber), { status: 200 });
  } catch (error) {
    if (error instanceof WebhookVerificationError)
      return new Response(error.reason, { status: 400 });
    throw error;
  }
}
