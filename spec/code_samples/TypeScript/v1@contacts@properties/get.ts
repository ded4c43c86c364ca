import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const properties = await loops.contactProperties.list({ list: "custom" });
for (const property of properties) console.log(property.key, property.type);
