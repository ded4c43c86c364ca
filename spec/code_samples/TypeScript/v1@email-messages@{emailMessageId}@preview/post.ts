import { createLoopsClient, RateLimitError } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  await loops.emailMessages.preview("cmn5zia4i0017tzli8ric8giv", {
    emails: ["ada@acme.com", "grace@acme.com"],
    contactProperties: { firstName: "Ada", plan: "pro" },
  });
} catch (error) {
  // A 429 that still shows requests left is the daily limit of 100 previews, not the per-second one.
  if (!(error instanceof RateLimitError) || !error.remaining) throw error;
  console.error("Daily preview limit reached: try again tomorrow.");
}
