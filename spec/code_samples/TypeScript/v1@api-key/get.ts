import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const { teamName } = await loops.apiKey.test();
console.log(`The key works for ${teamName}.`);
