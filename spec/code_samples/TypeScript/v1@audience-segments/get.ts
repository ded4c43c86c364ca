import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const { data, pagination } = await loops.audienceSegments.list({ perPage: 10 });
for (const segment of data) console.log(segment.id, segment.name);
// Pass this as cursor for the next page (null on the last one).
console.log(pagination.nextCursor);
