// `pnpm bench`: what `verifyWebhook` costs per event (Web Crypto: an HMAC per call, compared by
// `crypto.subtle.verify`), one at a time and 16 at once, beside a check of the same events written
// with node:crypto (`createHmac`, `timingSafeEqual`), which runs in Node only. The events are the
// contract's webhook examples, each signed once. The contenders take turns, round by round, so
// that drift on the machine hits them alike; the ratio is taken round by round. Figures, not a
// test: it prints them and the target (at least 5,000 verifications per second one at a time).
import { Buffer } from "node:buffer";
import { createHmac, timingSafeEqual } from "node:crypto";
import { performance } from "node:perf_hooks";
import { webhooks } from "@loops-contract/spec";
import { signWebhook, verifyWebhook } from "../dist/webhooks.js";

const ROUNDS = 5;
const TIME_PER_CONTENDER_MS = 500;
const CONCURRENCY = 16;
const TARGET_PER_SECOND = 5000;
const SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

const bodies = webhooks.flatMap(({ examples }) =>
  Object.values(examples).map((example) => JSON.stringify(example)),
);
if (bodies.length === 0) throw new Error("the contract's webhooks have no examples");
const events = await Promise.all(
  bodies.map(async (body, index) => ({
    body,
    headers: await signWebhook(body, SECRET, { id: `msg_bench_${index}` }),
  })),
);

const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
/** The same checks, as a careful hand-written node:crypto verifier makes them. */
function nodeCryptoVerify(body, headers) {
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (!id || !timestamp || !signatures) throw new Error("missing header");
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) {
    throw new Error("timestamp");
  }
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
  for (const entry of signatures.split(" ")) {
    const [version, encoded] = entry.split(",");
    if (version !== "v1" || encoded === undefined) continue;
    const given = Buffer.from(encoded, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return JSON.parse(body);
    }
  }
  throw new Error("no matching signature");
}

const verifiers = {
  verifyWebhook: ({ body, headers }) => verifyWebhook(body, headers, SECRET),
  "node:crypto": async ({ body, headers }) => nodeCryptoVerify(body, headers),
  "verifyWebhook, validate": ({ body, headers }) =>
    verifyWebhook(body, headers, SECRET, { validate: "throw" }),
};

/** Events verified per second by `verify`, `concurrency` at a time, for about `ms`. */
async function throughput(verify, concurrency, ms) {
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    const batch = [];
    for (let slot = 0; slot < concurrency; slot++) {
      batch.push(verify(events[(done + slot) % events.length]));
    }
    for (const event of await Promise.all(batch)) {
      if (typeof event.eventName !== "string") throw new Error("verified to no event");
    }
    done += concurrency;
  }
  return done / ((performance.now() - start) / 1000);
}

const contenders = Object.entries(verifiers).flatMap(([name, verify]) =>
  [1, CONCURRENCY].map((concurrency) => ({ name, concurrency, verify })),
);
const label = ({ name, concurrency }) =>
  `${name}, ${concurrency === 1 ? "one at a time" : `${concurrency} at once`}`;
// Warm-up: each contender's code paths compiled and the key imported before anything is timed.
for (const contender of contenders) await throughput(contender.verify, contender.concurrency, 100);
const rounds = [];
for (let round = 0; round < ROUNDS; round++) {
  const figures = {};
  for (const contender of contenders) {
    figures[label(contender)] = await throughput(
      contender.verify,
      contender.concurrency,
      TIME_PER_CONTENDER_MS,
    );
  }
  rounds.push(figures);
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `Webhook verification of the contract's ${events.length} webhook examples, signed: ${ROUNDS} rounds of ${TIME_PER_CONTENDER_MS} ms per contender`,
);
console.log(
  `${"".padEnd(42)} µs/event  events/s  time per event vs node:crypto at the same concurrency (median round)`,
);
for (const contender of contenders) {
  const name = label(contender);
  const perSecond = median(rounds.map((figures) => figures[name]));
  const baseline = label({ name: "node:crypto", concurrency: contender.concurrency });
  const ratio = median(rounds.map((figures) => figures[baseline] / figures[name]));
  console.log(
    `${name.padEnd(42)} ${(1e6 / perSecond).toFixed(1).padStart(8)}  ${Math.round(perSecond).toString().padStart(8)}  ${ratio.toFixed(2)}x`,
  );
}
const oneAtATime = median(rounds.map((figures) => figures["verifyWebhook, one at a time"]));
console.log(
  `target: verifyWebhook one at a time at least ${TARGET_PER_SECOND}/s: ${oneAtATime >= TARGET_PER_SECOND ? "met" : "MISSED"} (${Math.round(oneAtATime)}/s)`,
);
