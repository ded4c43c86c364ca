import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const { isSuppressed, removalQuota } = await loops.contacts.getSuppression({
  email: "ada@example.com",
});
console.log(isSuppressed, `${removalQuota.remaining} of ${removalQuota.limit} removals left`);
