import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const { message, removalQuota } = await loops.contacts.removeSuppression({
  email: "ada@example.com",
});
console.log(message, `${removalQuota.remaining} removals left`);
