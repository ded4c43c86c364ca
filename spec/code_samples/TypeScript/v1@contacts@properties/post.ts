import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Once it exists, contacts and events carry it as a top-level field: { companyName: "Acme" }.
await loops.contactProperties.create({ name: "companyName", type: "string" });
