import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Newest first, every page.
for await (const group of loops.campaignGroups.list()) {
  console.log(group.id, group.name);
}
