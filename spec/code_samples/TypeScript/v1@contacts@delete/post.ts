import { createLoopsClient, NotFoundError } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const { message } = await loops.contacts.delete({ userId: "user_8Hq2" });
  console.log(message);
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.error("No contact has that userId.");
}
