import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Once it exists, contacts and events carry it as a top-level field: { planName: "Pro" }.
await loops.contactProperties.create({ name: "planName", type: "string" });
