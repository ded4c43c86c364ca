import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// They change: read them when you update your allow list, rather than storing them.
const addresses = await loops.dedicatedSendingIps.list();
console.log(addresses.join("\n"));
