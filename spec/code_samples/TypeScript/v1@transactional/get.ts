import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Deprecated by Loops. Every published transactional email, page after page:
for await (const email of loops.transactional.listPublished({ perPage: 50 })) {
  console.log(email.id, email.name, email.dataVariables.join(", "));
}
