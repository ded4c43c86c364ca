import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

await loops.events.send({
  email: "ada@example.com",
  eventName: "signup",
  eventProperties: { plan: "pro", seats: 3 },
});
