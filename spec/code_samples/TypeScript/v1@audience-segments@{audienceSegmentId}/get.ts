import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const segment = await loops.audienceSegments.get("clr4c8t0v008yl70x3y4z5a6b");
console.log(segment.name, JSON.stringify(segment.filter));
