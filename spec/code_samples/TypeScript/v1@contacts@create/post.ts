import { ConflictError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const { id } = await loops.contacts.create({
    email: "ada@example.com",
    firstName: "Ada",
    mailingLists: { cm06f5v0e45nf0ml5754o9cix: true },
  });
  console.log(`Contact ${id} created.`);
} catch (error) {
  // Another contact has this email or userId: Update a contact changes it instead.
  if (!(error instanceof ConflictError)) throw error;
  console.error(error.message);
}
